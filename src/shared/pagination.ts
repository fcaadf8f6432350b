import { z } from 'zod';
import { DomainError } from './errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `limit` and `cursor`, the query parameters every list endpoint shares. */
export const pageQueryShape = {
  // Digits only: Number() would read "1e2" or " 0x10" as a count, and a query is text.
  limit: z
    .string({ error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .regex(/^[1-9][0-9]{0,2}$/, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .transform(Number)
    .refine((n) => n <= MAX_PAGE_SIZE, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE)
    // Documented as the integer it is read as, so that typed clients send a number (serialised as digits).
    .meta({
      description: `items per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`,
      type: 'integer',
      minimum: 1,
      maximum: MAX_PAGE_SIZE,
      pattern: undefined,
    }),
  cursor: z
    .string({ error: 'must be the nextCursor of a previous page' })
    .min(1, 'must be the nextCursor of a previous page')
    .max(512, 'must be the nextCursor of a previous page')
    .optional()
    .meta({ description: 'opaque: the `nextCursor` of the previous page, sent back unchanged' }),
};

/** A page of a list: its items, and the cursor of the next page or null when this one is the last. */
export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Where a page starts: after the row with this key. A list's key is (created_at, id), or a ledger seq for
 * redemptions; the cursor names its list so that one list's cursor is refused by another (decision 0023).
 */
export type PageKey = { list: string; after: [string, string] | [number] };

const cursorSchema = z.strictObject({
  v: z.literal(1),
  l: z.string(),
  a: z.union([z.tuple([z.string().min(1).max(64), z.string().min(1).max(128)]), z.tuple([z.number().int().positive()])]),
});

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify({ v: 1, l: key.list, a: key.after })).toString('base64url');
}

const badCursor = () => DomainError.validation([{ field: 'cursor', message: 'is not a cursor this list gave out: send back nextCursor unchanged' }]);

/** The key a cursor of `list` holds; anything else (edited, truncated, another list's) is a 400 naming `cursor`. */
export function decodeCursor<K extends PageKey['after']>(list: string, cursor: string | undefined, shape: K['length']): K | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success || result.data.l !== list || result.data.a.length !== shape) throw badCursor();
  return result.data.a as K;
}

/** Rows fetched one past the limit tell whether another page follows; the last row kept is the next cursor. */
export function pageOf<R, T>(rows: R[], limit: number, list: string, keyOf: (row: R) => PageKey['after'], view: (rows: R[]) => Promise<T[]>): Promise<Page<T>> {
  const kept = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeCursor({ list, after: keyOf(kept[kept.length - 1]!) }) : null;
  return view(kept).then((items) => ({ items, nextCursor }));
}
