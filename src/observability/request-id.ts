import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A caller's X-Request-Id is kept when it is a sane token: 1–128 of these characters (no spaces, no quotes). */
const ACCEPTED = /^[A-Za-z0-9._~:/+=@-]{1,128}$/;

/** The request id of a request: the caller's X-Request-Id when it is acceptable, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && ACCEPTED.test(sent) ? sent : randomUUID();
}
