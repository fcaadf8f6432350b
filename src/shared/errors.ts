import type { ZodError } from 'zod';
import type { RuleViolation } from '../rules/violation.js';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The one error type of the use cases: a stable snake_case code a client can act on, a message, and the
 * field at fault. It knows nothing of HTTP; `http/problems.ts` alone maps codes to statuses.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extras: { field?: string; errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(errors: FieldError[]): DomainError {
    const first = errors[0];
    return new DomainError('validation_failed', first ? `${first.field}: ${first.message}` : 'invalid request', {
      ...(first ? { field: first.field } : {}),
      errors,
    });
  }

  static notFound(what: string, field?: string): DomainError {
    return new DomainError('not_found', `${what} not found`, field ? { field } : {});
  }

  static forbidden(message: string): DomainError {
    return new DomainError('forbidden', message);
  }
}

/** A rule the pure engine reported, as a domain error with the same code. */
export function ruleError(violation: RuleViolation): DomainError {
  return new DomainError(violation.code, violation.detail);
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
