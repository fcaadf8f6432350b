import type { ZodError } from 'zod';
import type { RuleViolation } from './violation.js';

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

/** What an unknown key of a strict object is told (zod's own "Unrecognized key" names the key, the field does here). */
export const UNRECOGNISED_FIELD = 'is not a recognised field';

/**
 * A field's path as a client writes it: keys dotted, array positions in brackets (`beneficiary.uscc`,
 * `services[0].code`, `funding[1].ratio`); a path that starts at an array position (the rows of a CSV body)
 * starts with `root` (`body[2].amount`), and the empty path is `root` itself.
 */
export function fieldPath(path: readonly PropertyKey[], root = 'body'): string {
  let field = '';
  for (const key of path) field += typeof key === 'number' ? `[${key}]` : `${field === '' ? '' : '.'}${String(key)}`;
  return field === '' || field.startsWith('[') ? `${root}${field}` : field;
}

/**
 * One field error per zod issue, the field named by its path (`fieldPath`) below `at` (an unknown key names
 * itself, one error per key).
 */
export function fieldErrorsOf(error: ZodError, root: string, at: readonly PropertyKey[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [...at, ...issue.path];
    if (issue.code !== 'unrecognized_keys') return [{ field: fieldPath(path, root), message: issue.message }];
    return issue.keys.map((key) => ({ field: fieldPath([...path, key], root), message: UNRECOGNISED_FIELD }));
  });
}
