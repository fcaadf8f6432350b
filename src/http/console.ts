import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { DomainError } from '../shared/errors.js';

/**
 * Where the built console is: dist/console beside the compiled server (dist/src/http → dist/console), or,
 * when the server runs from source (tsx), dist/console of the repository.
 */
export function consoleDirectory(): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  return basename(root) === 'dist' ? join(root, 'console') : join(root, 'dist', 'console');
}

/**
 * The Content-Security-Policy of a page this server serves itself (the console, the API docs): only its own
 * scripts; inline styles, which antd's CSS-in-JS and Swagger UI write at run time; images from `imgSources`;
 * the API on the same origin; no framing. The API's responses keep helmet's stricter defaults.
 */
export const pageCsp = (imgSources: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${imgSources}`,
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

// Images as data: or blob: URLs: ECharts and downloads.
const CONSOLE_CSP = pageCsp("'self' data: blob:");

/** GET /console/* answers the single-page app (deep links included); /console redirects to /console/. */
export function consoleRouter(directory = consoleDirectory()): Router {
  const router = Router();
  const index = join(directory, 'index.html');
  const csp = (_req: Request, res: Response, next: NextFunction) => {
    res.set('Content-Security-Policy', CONSOLE_CSP);
    next();
  };
  router.get('/console', (req, res, next) => {
    // Routing is not strict: '/console/' matches here too, and is the app's.
    if (req.path.endsWith('/')) return next();
    const query = req.originalUrl.slice(req.path.length);
    res.redirect(301, `/console/${query}`);
  });
  // Hashed file names never change content: cache them for a year; index.html always revalidates.
  router.use('/console/assets', csp, express.static(join(directory, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  // An asset that is not there (an old build's hash, a typo) is a 404 problem, not the app's page.
  router.use('/console/assets', (req: Request) => {
    throw new DomainError('not_found', `no console asset ${req.path}`);
  });
  router.get('/console/{*path}', csp, (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain; charset=utf-8').send('The console is not built: run npm run build (with the dev dependencies installed).\n');
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
