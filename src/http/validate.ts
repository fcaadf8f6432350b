import type { z } from 'zod';
import { DomainError, fieldErrorsOf } from '../shared/errors.js';

/** Parses one part of a request with its zod schema; failures become a 400 naming each field. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, root: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(value ?? (root === 'body' ? undefined : {}));
  if (!result.success) throw DomainError.validation(fieldErrorsOf(result.error, root));
  return result.data;
}
