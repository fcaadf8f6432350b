import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../shared/errors.js';

// JSON may escape a lone surrogate ("\ud800") or a NUL ("\u0000"): no hash, export or database column
// (PostgreSQL text holds no NUL) carries them faithfully, and no name or reason needs a control character.
// String#isWellFormed is in Node 20 but not in the ES2023 library this project compiles against.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function problemOf(text: string): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode text (it holds a lone surrogate)';
  if (CONTROL.test(text)) return 'must not contain control characters (other than tab and line breaks)';
  return undefined;
}

/**
 * Deeper than any body or query this API reads (its deepest, a payment batch's statement rows, is three):
 * a deeper value is refused before zod or any route walks it.
 */
export const MAX_NESTING_DEPTH = 32;

type BadText = { field: string; message: string };

/**
 * The first string (or key) in a parsed value that is not acceptable text, with its dotted path, or the first
 * value nested deeper than MAX_NESTING_DEPTH. Walked with an explicit stack, never recursion: JSON.parse reads
 * `[[[…]]]` thousands of levels deep, and a recursive walk would overflow the call stack on it.
 */
function firstBadText(root: unknown, rootPath: string): BadText | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootPath, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      const message = problemOf(value);
      if (message) return { field: path, message };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_NESTING_DEPTH) return { field: path, message: `is nested more than ${MAX_NESTING_DEPTH} levels deep` };
    // Pushed in reverse so that the first offending field in document order is the one reported.
    const entries = Object.entries(value);
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const [key, item] = entries[index]!;
      const keyProblem = problemOf(key);
      if (keyProblem) return { field: path, message: `has a key that ${keyProblem}` };
      stack.push({ value: item, path: path === rootPath ? key : `${path}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Refuses, before any route runs: a path that is not valid percent-encoded UTF-8 or decodes to control
 * characters, and a query or body string that is not well-formed text, naming the field.
 */
export function requireWellFormedText(req: Request, _res: Response, next: NextFunction): void {
  for (const segment of req.path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new DomainError('malformed_path', 'the request path is not valid percent-encoded UTF-8', { field: 'path' });
    }
    if (problemOf(decoded)) throw new DomainError('malformed_path', 'the request path holds control characters or a lone surrogate', { field: 'path' });
  }
  const bad = firstBadText(req.query, 'query') ?? firstBadText(req.body, 'body');
  if (bad) throw DomainError.validation([bad]);
  next();
}
