// Reading redemptions: one, and a page in ledger order, each with where its payment stands.
import type { Actor, ActorOf } from '../../auth/actor.js';
import { settlementsOf } from '../../settlement/settlement.repository.js';
import { DomainError } from '../../shared/errors.js';
import { decodeCursor, type Page, pageOf } from '../../shared/pagination.js';
import { coveredRange, covers } from '../../shared/region.js';
import { findVoucher } from '../../vouchers/vouchers.repository.js';
import { findRedemption, listRedemptions } from '../redemptions.repository.js';
import type { ListRedemptionsQuery, RedemptionRecordView } from '../redemptions.schemas.js';
import { type ClaimRecord, redemptionRecordView } from '../redemptions.views.js';
import { claimsOf, documentsOfClaims, eventsOfClaims } from '../claims.repository.js';
import { findDocuments } from '../../documents/documents.repository.js';
import type { RedemptionDeps } from './dependencies.js';

type ReadDeps = Pick<RedemptionDeps, 'db'>;

/** GET /v1/redemptions/:id: its provider, an issuer of the voucher's region, or an auditor covering it. */
export async function getRedemption(deps: ReadDeps, id: string, actor: Actor): Promise<RedemptionRecordView> {
  const redemption = await findRedemption(deps.db, id);
  if (!redemption) throw DomainError.notFound('redemption');
  const voucher = (await findVoucher(deps.db, redemption.voucherId))!;
  const allowed =
    (actor.role === 'provider' && actor.org === redemption.providerUscc) ||
    (actor.role === 'enterprise' && actor.org === voucher.beneficiary.uscc) ||
    (actor.role === 'issuer' && actor.region === voucher.region) ||
    (actor.role === 'auditor' && covers(actor.region, voucher.region));
  if (!allowed)
    throw DomainError.forbidden("only the redemption's provider, the voucher's holder, the voucher's issuer or an auditor covering its region may read it");
  const settlements = await settlementsOf(deps.db, [redemption.id]);
  const claims = await claimRecordsOf(deps.db, [redemption.id]);
  return redemptionRecordView({ ...redemption, programId: voucher.programId }, settlements.get(redemption.id)!, claims.get(redemption.id));
}

/** The claims among the redemptions, each with its documents' metadata and its history: four queries for a page. */
async function claimRecordsOf(db: ReadDeps['db'], ids: readonly string[]): Promise<Map<string, ClaimRecord>> {
  const claims = await claimsOf(db, ids);
  if (claims.size === 0) return new Map();
  const claimIds = [...claims.keys()];
  const documents = await documentsOfClaims(db, claimIds);
  const history = await eventsOfClaims(db, claimIds);
  const metadata = new Map(
    (
      await findDocuments(
        db,
        [...documents.values()].flat().map((document) => document.sha256),
      )
    ).map((meta) => [meta.sha256, meta]),
  );
  return new Map(
    [...claims].map(([id, claim]) => [
      id,
      {
        claim,
        documents: (documents.get(id) ?? []).map((document) => ({ ...metadata.get(document.sha256)!, from: document.party })),
        history: history.get(id) ?? [],
      },
    ]),
  );
}

/** A page of redemptions in ledger order: a provider's own, an enterprise's vouchers', or those of the vouchers of an issuer's region or an auditor's. */
export async function listRedemptionViews(
  deps: ReadDeps,
  query: ListRedemptionsQuery,
  actor: ActorOf<'provider' | 'issuer' | 'auditor' | 'enterprise'>,
): Promise<Page<RedemptionRecordView>> {
  const after = decodeCursor<[number]>('redemptions', query.cursor, 1);
  const scope =
    actor.role === 'provider'
      ? { providerUscc: actor.org }
      : actor.role === 'enterprise'
        ? { beneficiaryUscc: actor.org }
        : { regions: actor.role === 'issuer' ? { from: actor.region, to: actor.region } : coveredRange(actor.region) };
  const redemptions = await listRedemptions(deps.db, scope, query, after?.[0], query.limit);
  return pageOf(
    redemptions,
    query.limit,
    'redemptions',
    (redemption) => [redemption.ledgerSeq],
    async (kept) => {
      const ids = kept.map((redemption) => redemption.id);
      const settlements = await settlementsOf(deps.db, ids);
      const claims = await claimRecordsOf(deps.db, ids);
      return kept.map((redemption) => redemptionRecordView(redemption, settlements.get(redemption.id)!, claims.get(redemption.id)));
    },
  );
}
