import type { z } from 'zod';
import { DomainError, fieldErrorsOf } from '../shared/errors.js';

/** What a query parameter given twice (`?year=2026&year=2025`, which the query parser makes a list) is told. */
export const REPEATED_PARAMETER = 'must be given once';

/** Parses one part of a request with its zod schema; failures become a 400 naming each field. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, root: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(value ?? (root === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const errors = fieldErrorsOf(result.error, root);
  // A parameter repeated where one value is expected fails as "not a year" or "not a region"; say what is wrong.
  const repeated = (field: string) =>
    root === 'query' && typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>)[field]);
  throw DomainError.validation(errors.map((error) => (repeated(error.field) ? { ...error, message: REPEATED_PARAMETER } : error)));
}
