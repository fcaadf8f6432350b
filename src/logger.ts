import { type DestinationStream, pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout (or `destination`); a request's lines carry its `requestId` (src/observability). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'voucher-ledger' }, redact: ['req.headers.authorization'] };
  return destination ? pino(options, destination) : pino(options);
}
