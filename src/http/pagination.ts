import type { Request, Response } from 'express';
import type { Page } from '../shared/pagination.js';

/** Sends a page with an RFC 8288 `Link: <…>; rel="next"` to the same request with the next cursor. */
export function sendPage(req: Request, res: Response, page: Page<unknown>): void {
  if (page.nextCursor !== null) {
    const next = new URL(req.originalUrl, 'http://service.invalid');
    next.searchParams.set('cursor', page.nextCursor);
    res.set('Link', `<${next.pathname}${next.search}>; rel="next"`);
  }
  res.json(page);
}
