import type { ZodError } from 'zod';
import type { RuleViolation } from '../rules/violation.js';

export interface FieldError {
  field: string;
  message: string;
}

/** The one error type of the service: a stable snake_case code and the HTTP status it maps to. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extras: { field?: string; errors?: FieldError[] } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(errors: FieldError[]): AppError {
    const first = errors[0];
    return new AppError(400, 'validation_failed', first ? `${first.field}: ${first.message}` : 'invalid request', {
      ...(first ? { field: first.field } : {}),
      errors,
    });
  }

  static notFound(what: string): AppError {
    return new AppError(404, 'not_found', `${what} not found`);
  }

  static forbidden(message: string): AppError {
    return new AppError(403, 'forbidden', message);
  }
}


const CONFLICT_RULES = new Set(['duplicate_invoice', 'contract_already_subsidized', 'duplicate_contract']);

export function ruleError(violation: RuleViolation): AppError {
  return new AppError(CONFLICT_RULES.has(violation.code) ? 409 : 422, violation.code, violation.detail);
}

/** One field error per zod issue, the field named by its dotted path (an unknown key names itself). */
export function fieldErrorsOf(error: ZodError, root: string): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => ({
      field: [...path, ...(key === undefined ? [] : [key])].join('.') || root,
      message: key === undefined ? issue.message : 'is not a recognised field',
    }));
  });
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  field?: string;
  errors?: FieldError[];
}

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
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** body-parser reports its failures as errors carrying `type` and `status`. */
function bodyParserError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  switch ((err as { type: unknown }).type) {
    case 'entity.parse.failed':
      return new AppError(400, 'malformed_json', 'the request body is not valid JSON', { field: 'body' });
    case 'entity.too.large':
      return new AppError(413, 'payload_too_large', 'the request body is too large', { field: 'body' });
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new AppError(415, 'unsupported_media_type', 'the request body encoding is not supported', { field: 'body' });
    default:
      return undefined;
  }
}

/** Pure mapping of any thrown value to an RFC 9457 problem; unknown errors never leak their message. */
export function toProblem(err: unknown, instance?: string): Problem {
  const known = err instanceof AppError ? err : bodyParserError(err);
  const appError = known ?? new AppError(500, 'internal_error', 'an unexpected error occurred');
  return {
    type: `urn:voucher-ledger:problem:${appError.code}`,
    title: TITLES[appError.status] ?? 'Error',
    status: appError.status,
    code: appError.code,
    detail: appError.message,
    ...(instance ? { instance } : {}),
    ...appError.extras,
  };
}
