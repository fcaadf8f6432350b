import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';
import { type AppMetrics, routeOf } from './metrics.js';
import { requestIdOf } from './request-id.js';

declare global {
  namespace Express {
    interface Locals {
      /** The problem code of an error response, for the request's log line. */
      problemCode?: string;
    }
  }
}

/** 5xx (and a response cut short by an error) at error, 4xx at warn with their problem code, the rest at info. */
export function levelOf(status: number, err?: Error): 'error' | 'warn' | 'info' {
  if (err || status >= 500) return 'error';
  return status >= 400 ? 'warn' : 'info';
}

const fieldsOf = (req: IncomingMessage, res: ServerResponse, loggable: object) => {
  const { locals } = res as Response;
  return {
    ...loggable,
    route: routeOf(req as Request),
    ...(locals?.problemCode ? { code: locals.problemCode } : {}),
    ...(locals?.actor ? { sub: locals.actor.sub } : {}),
  };
};

/**
 * Gives each request its id (the caller's X-Request-Id when acceptable, else a UUID), echoes it in the
 * response's X-Request-Id, binds it to `req.log` as `requestId` (so every line logged about the request
 * carries it), logs one line when the response is done, and records the request's metrics.
 */
export function requestContext(logger: Logger, metrics: AppMetrics): RequestHandler[] {
  const log = pinoHttp({
    logger,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'ms' },
    genReqId: (req, res) => {
      const id = requestIdOf(req);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => levelOf(res.statusCode, err),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: fieldsOf,
    customErrorObject: (req, res, _err, loggable) => fieldsOf(req, res, loggable),
    serializers: {
      req: (req: { method: string; url: string; remoteAddress?: string }) => ({ method: req.method, url: req.url, remoteAddress: req.remoteAddress }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
  const measure = (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequest({ method: req.method, route: routeOf(req), status: res.statusCode }, seconds);
    });
    next();
  };
  return [log as unknown as RequestHandler, measure];
}
