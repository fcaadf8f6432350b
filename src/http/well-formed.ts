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

/** The first string (or key) in a parsed value that is not acceptable text, with its dotted path. */
function firstBadText(value: unknown, path: string, root: string): { field: string; message: string } | undefined {
  if (typeof value === 'string') {
    const message = problemOf(value);
    return message ? { field: path, message } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path === root ? key : `${path}.${key}`;
    const keyProblem = problemOf(key);
    if (keyProblem) return { field: path, message: `has a key that ${keyProblem}` };
    const found = firstBadText(item, itemPath, root);
    if (found) return found;
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
  const bad = firstBadText(req.query, 'query', 'query') ?? firstBadText(req.body, 'body', 'body');
  if (bad) throw DomainError.validation([bad]);
  next();
}
