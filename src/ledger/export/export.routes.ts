import { Router } from 'express';
import { actorAs } from '../../auth/auth.middleware.js';
import type { Deps } from '../../deps.js';
import { parseRequest } from '../../http/validate.js';
import { assertCovered, entryFilterOf } from '../ledger.reader.js';
import { exportQuerySchema } from './export.schemas.js';
import { streamPages, writeExport } from './export.stream.js';

const CONTENT_TYPES = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

export function exportRouter(deps: Deps): Router {
  return Router().get('/v1/ledger/export', async (req, res) => {
    const actor = actorAs(res, 'auditor');
    const query = parseRequest(exportQuerySchema, req.query, 'query');
    assertCovered(actor, query.region);
    res.status(200);
    res.set('Content-Type', CONTENT_TYPES[query.format]);
    res.set('Content-Disposition', `attachment; filename="voucher-ledger.${query.format}"`);
    let entries = 0;
    const onEntry = () => void entries++;
    await writeExport(streamPages(deps.db, entryFilterOf(query, actor.region)), query.format, res, { bom: query.bom ?? true, lang: query.lang, onEntry }).then(
      () => deps.observer.exportFinished(query.format, 'completed', entries),
      (err: unknown) => {
        deps.observer.exportFinished(query.format, 'aborted', entries);
        throw err;
      },
    );
  });
}
