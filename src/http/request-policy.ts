import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { DomainError } from '../shared/errors.js';
import type { Operation } from './openapi.js';

declare global {
  namespace Express {
    interface Locals {
      /** The API route the request is meant for, known before authentication (metrics label refusals by it). */
      declaredRoute?: DeclaredRoute;
    }
  }
}

export interface DeclaredRoute {
  /** As express writes it: `/v1/vouchers/:id`. */
  path: string;
  method: string;
  segments: string[];
  /** Path segments that are not parameters: the more, the more specific the route. */
  literals: number;
  query: ReadonlySet<string>;
  jsonBody: boolean;
}
type Declared = DeclaredRoute;

/** The query parameters an operation declares: the keys of its query object (wrapped in a pipe or not). */
function queryKeysOf(op: Operation): string[] {
  let schema: unknown = op.query;
  if (schema === undefined) return [];
  while (schema instanceof z.ZodPipe) schema = schema.in;
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  throw new Error(`${op.method.toUpperCase()} ${op.path}: its query must be a zod object, so that its parameters are known`);
}

/** A body of at least one byte: `Content-Length: 0`, which clients send with an empty POST, is no body. */
const carriesBody = (req: Request) => req.get('transfer-encoding') !== undefined || (req.get('content-length') ?? '0') !== '0';

const matches = (declared: Declared, segments: string[]) =>
  declared.segments.length === segments.length && declared.segments.every((segment, i) => segment.startsWith(':') || segment === segments[i]);

/**
 * Finds, before anything else runs, the API route a request is meant for, among the operations that the
 * OpenAPI document is made of: the most specific it matches (`/v1/programs/awaiting-confirmation` before
 * `/v1/programs/:id`), as express's routers do. Requests refused before routing (401, 429) are then labelled
 * with it in metrics and logs.
 */
export function declareRoute(operations: readonly Operation[]): RequestHandler {
  const declared: Declared[] = operations
    .filter((op) => op.path.startsWith('/v1/'))
    .map((op) => {
      const segments = op.path.split('/');
      return {
        path: op.path,
        method: op.method.toUpperCase(),
        segments,
        literals: segments.filter((segment) => !segment.startsWith(':')).length,
        query: new Set(queryKeysOf(op)),
        jsonBody: op.body !== undefined && !op.csvBody,
      };
    });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/v1/')) return next();
    const segments = req.path.split('/');
    let route: Declared | undefined;
    for (const candidate of declared)
      if (candidate.method === req.method && matches(candidate, segments) && (!route || candidate.literals > route.literals)) route = candidate;
    if (route) res.locals.declaredRoute = route;
    next();
  };
}

/**
 * One policy for every /v1 route, read from its declared operation (so the document and the service cannot
 * disagree): a query parameter the route does not declare is refused 400 naming it, rather than silently
 * ignored (a misspelt filter must not return an unfiltered list); and a route that reads a JSON body refuses a
 * body of any other media type 415, rather than reading it as none.
 */
export function requestPolicy(req: Request, res: Response, next: NextFunction): void {
  const route = res.locals.declaredRoute;
  if (!route) return next();
  const unknown = Object.keys(req.query as object).filter((name) => !route.query.has(name));
  if (unknown.length > 0) throw DomainError.validation(unknown.map((field) => ({ field, message: 'is not a recognised query parameter of this route' })));
  if (route.jsonBody && carriesBody(req) && !req.is(['application/json', 'application/*+json']))
    throw new DomainError('unsupported_media_type', `send the body as application/json (or no body), not ${req.get('content-type') ?? 'untyped'}`, {
      field: 'Content-Type',
    });
  next();
}
