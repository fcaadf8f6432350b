import { Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import { assertCovered, entryFilterOf, readEntries } from './ledger.reader.js';
import { ledgerPageQuery } from './ledger.schemas.js';

export function ledgerRouter(deps: Deps): Router {
  return Router().get('/v1/ledger', async (req, res) => {
    const actor = actorAs(res, 'auditor');
    const query = parseRequest(ledgerPageQuery, req.query, 'query');
    assertCovered(actor, query.region);
    const entries = await readEntries(deps.db, { ...entryFilterOf(query, actor.region), afterSeq: query.afterSeq }, query.limit);
    const last = entries.at(-1);
    res.json({ entries, nextAfterSeq: entries.length === query.limit && last ? last.seq : null });
  });
}
