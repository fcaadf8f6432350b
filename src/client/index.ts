// A typed client for voucher-ledger: openapi-fetch over the paths generated from GET /openapi.json. Every call
// carries the bearer token; every write (POST, PUT) an Idempotency-Key, a random UUID unless the call sets one,
// so that a retry after a timeout is answered once; every problem response is thrown as a ProblemError.
import { randomUUID } from 'node:crypto';
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, paths };
export type Problem = components['schemas']['Problem'];

/** A problem answer (RFC 9457) of the service: `code` is what to act on, `field` the input at fault. */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly problem: Problem;
  /** Seconds to wait before sending the same request again (429, 503 busy). */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, retryAfter: string | null) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
    this.name = 'ProblemError';
    this.status = problem.status;
    this.code = problem.code;
    this.field = problem.field;
    this.problem = problem;
    this.retryAfterSeconds = retryAfter === null ? undefined : Number(retryAfter);
  }
}

export interface ClientOptions {
  /** The service's address, e.g. `https://vouchers.example.gov.cn`. */
  baseUrl: string;
  /** A JWT, or a function returning the current one (called per request, so a refreshed token is picked up). */
  token: string | (() => string | Promise<string>);
  /** Makes the Idempotency-Key of a write that does not set its own; a random UUID by default. */
  idempotencyKey?: () => string;
  /** `zh` for problems in Chinese. */
  acceptLanguage?: string;
  fetch?: typeof globalThis.fetch;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createVoucherLedgerClient(options: ClientOptions) {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const middleware: Middleware = {
    async onRequest({ request }) {
      const token = typeof options.token === 'function' ? await options.token() : options.token;
      request.headers.set('Authorization', `Bearer ${token}`);
      if (options.acceptLanguage) request.headers.set('Accept-Language', options.acceptLanguage);
      if (WRITES.has(request.method) && !request.headers.has('Idempotency-Key'))
        request.headers.set('Idempotency-Key', (options.idempotencyKey ?? randomUUID)());
      return request;
    },
    async onResponse({ response }) {
      if (response.ok) return response;
      const type = response.headers.get('content-type') ?? '';
      if (!type.startsWith('application/problem+json')) throw new Error(`HTTP ${response.status} ${response.statusText} from ${response.url}`);
      throw new ProblemError((await response.clone().json()) as Problem, response.headers.get('retry-after'));
    },
  };
  client.use(middleware);
  return client;
}
export type VoucherLedgerClient = ReturnType<typeof createVoucherLedgerClient>;

/**
 * The data of a successful call. Problems are already thrown by the client, so this only narrows the type:
 * `const contract = ok(await api.POST('/v1/contracts', { body }))`.
 */
export function ok<R extends { data?: unknown; response: Response }>(result: R): NonNullable<R['data']> {
  if (result.data === undefined || result.data === null) throw new Error(`HTTP ${result.response.status} from ${result.response.url} carried no body`);
  return result.data as NonNullable<R['data']>;
}
