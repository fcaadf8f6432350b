import { DomainError } from '../shared/errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  field?: string;
  /** Each field at fault; a problem in Chinese gives each message in Chinese and keeps the English as `messageEn`. */
  errors?: { field: string; message: string; messageEn?: string }[];
}

/**
 * The HTTP status of every domain error code that is not a 422. Business-rule rejections (the rules engine's
 * codes, insufficient_budget, amount_out_of_range, …) are 422 Unprocessable Content.
 */
const STATUS_BY_CODE: Record<string, number> = {
  validation_failed: 400,
  malformed_json: 400,
  malformed_body: 400,
  malformed_path: 400,
  missing_token: 401,
  invalid_token: 401,
  invalid_sign_in_code: 401,
  forbidden: 403,
  maker_checker: 403,
  four_eyes: 403,
  not_found: 404,
  duplicate_invoice: 409,
  duplicate_contract: 409,
  contract_already_subsidized: 409,
  provider_already_registered: 409,
  issuance_by_application: 409,
  issuance_direct: 409,
  duplicate_application: 409,
  invalid_transition: 409,
  stale_revision: 409,
  claim_overdue: 409,
  claim_not_approved: 409,
  claims_open_on_contract: 409,
  program_closed: 409,
  program_open: 409,
  claims_pending: 409,
  already_listed: 409,
  nothing_to_sample: 409,
  result_recorded: 409,
  webhook_limit_reached: 409,
  webhook_disabled: 409,
  delivery_not_redeliverable: 409,
  notice_open: 409,
  objection_open: 409,
  objection_resolved: 409,
  idempotency_conflict: 409,
  conflict: 409,
  invariant_violated: 409,
  payload_too_large: 413,
  document_too_large: 413,
  unsupported_media_type: 415,
  unsupported_document_type: 415,
  too_many_auth_failures: 429,
  rate_limited: 429,
  internal_error: 500,
  busy: 503,
  not_ready: 503,
  // 422 is also the default: named because what is missing is reference data (a year's holiday notice), not a rule the request broke.
  calendar_year_unknown: 422,
};

export const statusOf = (code: string): number => STATUS_BY_CODE[code] ?? 422;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** RFC 6750 §3: a challenge on every 401; an `error` only when a token was sent and refused. */
export function wwwAuthenticate(problem: Problem): string {
  const challenge = 'Bearer realm="voucher-ledger"';
  if (problem.code !== 'invalid_token') return challenge;
  const description = problem.detail.replace(/[^\x20-\x7e]|["\\]/g, "'");
  return `${challenge}, error="invalid_token", error_description="${description}"`;
}

/**
 * Errors raised before a route runs: body-parser's (carrying `type`, or an http-errors status for a body that
 * does not decode), and the router's URIError for a path segment that is not valid percent-encoding.
 */
function requestError(err: unknown): DomainError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  if (err instanceof URIError) return new DomainError('malformed_path', 'the request path is not valid percent-encoded UTF-8', { field: 'path' });
  const status = (err as { status?: unknown }).status;
  switch ((err as { type?: unknown }).type) {
    case 'entity.parse.failed':
      return new DomainError('malformed_json', 'the request body is not valid JSON', { field: 'body' });
    case 'entity.too.large':
      return new DomainError('payload_too_large', 'the request body is too large', { field: 'body' });
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new DomainError('unsupported_media_type', 'the request body encoding is not supported', { field: 'body' });
    default:
      // e.g. a Content-Encoding of gzip, deflate or br whose body does not decode
      return typeof status === 'number' && status >= 400 && status < 500 && 'expose' in err
        ? new DomainError('malformed_body', 'the request body could not be read as sent (check Content-Encoding and Content-Length)', { field: 'body' })
        : undefined;
  }
}

/** Pure mapping of any thrown value to an RFC 9457 problem; unknown errors never leak their message. */
export function toProblem(err: unknown, instance?: string): Problem & { retryAfterSeconds?: number } {
  const known = err instanceof DomainError ? err : requestError(err);
  const error = known ?? new DomainError('internal_error', 'an unexpected error occurred');
  const status = statusOf(error.code);
  const { retryAfterSeconds, ...extras } = error.extras;
  return {
    type: `urn:voucher-ledger:problem:${error.code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code: error.code,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...extras,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}
