import { Router } from 'express';
import { actorAs } from '../../auth/auth.middleware.js';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../shared/errors.js';
import { parseRequest } from '../../http/validate.js';
import { covers } from '../../shared/region.js';
import { exportQuerySchema } from './export.schemas.js';
import { exportFilter, streamPages, writeExport } from './export.stream.js';

const CONTENT_TYPES = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

export function exportRouter(deps: Deps): Router {
  return Router().get('/v1/ledger/export', async (req, res) => {
    const actor = actorAs(res, 'auditor');
    const query = parseRequest(exportQuerySchema, req.query, 'query');
    if (query.region !== undefined && !covers(actor.region, query.region))
      throw new DomainError('forbidden', `region ${query.region} is outside the caller's region ${actor.region}`, { field: 'region' });
    res.status(200);
    res.set('Content-Type', CONTENT_TYPES[query.format]);
    res.set('Content-Disposition', `attachment; filename="voucher-ledger.${query.format}"`);
    res.set('Cache-Control', 'no-store');
    let entries = 0;
    const onEntry = () => void entries++;
    await writeExport(streamPages(deps.db, exportFilter(query, actor.region)), query.format, res, { bom: query.bom ?? true, lang: query.lang, onEntry }).then(
      () => deps.observer.exportFinished(query.format, 'completed', entries),
      (err: unknown) => {
        deps.observer.exportFinished(query.format, 'aborted', entries);
        throw err;
      },
    );
  });
}
