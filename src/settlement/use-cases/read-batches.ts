// Reading payment batches: one (for the issuers and auditors in its scope, and its co-funders' issuers) or a list.
import type { Kysely } from 'kysely';
import type { Actor, ActorOf } from '../../auth/actor.js';
import { assertRegionAccess } from '../../auth/auth.middleware.js';
import type { Database } from '../../db/schema.js';
import { DomainError } from '../../shared/errors.js';
import { coveredRange } from '../../shared/region.js';
import type { PaymentBatch } from '../settlement.model.js';
import { claimsOf, findBatch, linesOf, listBatches } from '../settlement.repository.js';
import type { BatchView, ListBatchesQuery } from '../settlement.schemas.js';
import { batchView } from '../settlement.views.js';
import type { SettlementDeps } from './dependencies.js';

/** The batch with its lines and claims as stored. */
export async function loadBatchView(db: Kysely<Database>, batch: PaymentBatch): Promise<BatchView> {
  return batchView(batch, await linesOf(db, [batch.id]), await claimsOf(db, [batch.id]));
}

/** The batch as a command just left it (it exists: the command loaded it). */
export async function reloadBatchView(db: Kysely<Database>, id: string): Promise<BatchView> {
  return loadBatchView(db, (await findBatch(db, id))!);
}

export async function getBatch(deps: Pick<SettlementDeps, 'db'>, id: string, actor: Actor): Promise<BatchView> {
  const batch = await findBatch(deps.db, id);
  if (!batch) throw DomainError.notFound('payment batch');
  // A co-funding region's issuers read the batches that spend its share (its treasury pays that share).
  const funder = actor.role === 'issuer' && batch.funders.some((f) => f.region === actor.region);
  if (!funder) assertRegionAccess(actor, batch.region);
  return loadBatchView(deps.db, batch);
}

export async function listBatchViews(
  deps: Pick<SettlementDeps, 'db'>,
  query: ListBatchesQuery,
  actor: ActorOf<'issuer' | 'auditor'>,
): Promise<{ batches: BatchView[] }> {
  // Issuers see their own region's batches, auditors every region theirs covers.
  const scope =
    actor.role === 'issuer'
      ? { regionFrom: actor.region, regionTo: actor.region, funder: actor.region }
      : (({ from, to }) => ({ regionFrom: from, regionTo: to }))(coveredRange(actor.region));
  const batches = await listBatches(deps.db, scope, query);
  const ids = batches.map((b) => b.id);
  const lines = await linesOf(deps.db, ids);
  const claims = await claimsOf(deps.db, ids);
  return { batches: batches.map((batch) => batchView(batch, lines, claims)) };
}
