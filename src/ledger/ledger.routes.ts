import { Router } from 'express';
import { z } from 'zod';
import { actorAs } from '../auth/auth.middleware.js';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import { DomainError } from '../shared/errors.js';
import { partiesOf } from './entry-parties.repository.js';
import { maySeeEntry } from './entry-visibility.js';
import { assertCovered, entryFilterOf, readEntries, readEntryScoped } from './ledger.reader.js';
import { ledgerPageQuery, seqParam } from './ledger.schemas.js';

export function ledgerRouter(deps: Deps): Router {
  return (
    Router()
      .get('/v1/ledger', async (req, res) => {
        const actor = actorAs(res, 'auditor');
        const query = parseRequest(ledgerPageQuery, req.query, 'query');
        assertCovered(actor, query.region);
        const entries = await readEntries(deps.db, { ...entryFilterOf(query, actor.region), afterSeq: query.afterSeq }, query.limit);
        const last = entries.at(-1);
        res.json({ entries, nextAfterSeq: entries.length === query.limit && last ? last.seq : null });
      })
      // One entry exactly as hashed, to whoever it concerns (decision 0045): a provider or an enterprise recomputes
      // its own leaf from it. Another's entry is answered as if it did not exist.
      .get('/v1/ledger/entries/:seq', async (req, res) => {
        const actor = actorAs(res, 'auditor', 'issuer', 'provider', 'enterprise');
        const { seq } = parseRequest(z.object({ seq: seqParam }), req.params, 'params');
        const found = await readEntryScoped(deps.db, seq);
        if (!found || !(await maySeeEntry(actor, found.scope, partiesOf(deps.db)))) throw DomainError.notFound(`ledger entry ${seq}`, 'seq');
        res.json(found.entry);
      })
  );
}
