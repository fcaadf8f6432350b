// The only module that reads or writes claims, claim_documents and claim_events (migration 0014, decision 0041),
// and a redemption's status.
import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { ClaimEventTable, ClaimTable } from '../db/schema.claims.js';
import type { Database } from '../db/schema.js';
import type { Fen } from '../shared/money.js';
import type { Claim, ClaimAction, ClaimDocument, ClaimEvent, DocumentParty } from './claims.model.js';
import { OPEN_CLAIM_STATUSES, type RedemptionStatus } from './redemptions.model.js';

type Db = Kysely<Database>;

export function claimToDomain(row: Selectable<ClaimTable>): Claim {
  return {
    redemptionId: row.redemption_id,
    beneficiaryUscc: row.beneficiary_uscc,
    needsConfirmation: row.needs_confirmation,
    needsReview: row.needs_review,
    claimedExecuted: row.claimed_executed_fen,
    reservedAtSubmission: row.reserved_at_submission_fen,
    reserved: row.reserved_fen,
    paidAmount: row.paid_amount_fen,
    basis: row.basis_fen,
    approved: row.approved_fen,
    released: row.released_fen,
    confirmationDueOn: row.confirmation_due_on,
    inputs: {
      policyId: row.policy_id,
      year: Number(row.year),
      netExecutedBefore: row.net_executed_before_fen,
      annualCap: row.annual_cap_fen,
      annualUsedBefore: row.annual_used_before_fen,
      programAnnualCap: row.program_annual_cap_fen,
      programUsedBefore: row.program_used_before_fen,
      voucherBalanceBefore: row.voucher_balance_before_fen,
    },
    updatedAt: row.updated_at,
  };
}

export function claimToRow(claim: Claim): Insertable<ClaimTable> {
  const { inputs } = claim;
  return {
    redemption_id: claim.redemptionId,
    beneficiary_uscc: claim.beneficiaryUscc,
    needs_confirmation: claim.needsConfirmation,
    needs_review: claim.needsReview,
    claimed_executed_fen: claim.claimedExecuted,
    reserved_at_submission_fen: claim.reservedAtSubmission,
    reserved_fen: claim.reserved,
    paid_amount_fen: claim.paidAmount,
    basis_fen: claim.basis,
    approved_fen: claim.approved,
    released_fen: claim.released,
    confirmation_due_on: claim.confirmationDueOn,
    policy_id: inputs.policyId,
    year: BigInt(inputs.year),
    net_executed_before_fen: inputs.netExecutedBefore,
    annual_cap_fen: inputs.annualCap,
    annual_used_before_fen: inputs.annualUsedBefore,
    program_annual_cap_fen: inputs.programAnnualCap,
    program_used_before_fen: inputs.programUsedBefore,
    voucher_balance_before_fen: inputs.voucherBalanceBefore,
    updated_at: claim.updatedAt,
  };
}

const eventToDomain = (row: Selectable<ClaimEventTable>): ClaimEvent => ({
  redemptionId: row.redemption_id,
  at: row.at,
  actor: { role: row.actor_role, sub: row.actor_sub },
  // Written only from CLAIM_ACTIONS.
  action: row.action as ClaimAction,
  reason: row.reason,
  paidAmount: row.paid_amount_fen,
  ledgerSeq: Number(row.ledger_seq),
});

export async function insertClaim(db: Db, claim: Claim): Promise<void> {
  await db.insertInto('claims').values(claimToRow(claim)).execute();
}

export async function findClaim(db: Db, redemptionId: string): Promise<Claim | undefined> {
  const row = await db.selectFrom('claims').selectAll().where('redemption_id', '=', redemptionId).executeTakeFirst();
  return row && claimToDomain(row);
}

/** Stores the claim as it now stands and the redemption's status beside it. */
export async function updateClaim(db: Db, claim: Claim, status: RedemptionStatus): Promise<void> {
  const { redemption_id, ...row } = claimToRow(claim);
  await db.updateTable('claims').set(row).where('redemption_id', '=', redemption_id).execute();
  await db.updateTable('redemptions').set({ status }).where('id', '=', redemption_id).execute();
}

/** An approval: the redemption's figures become the basis, the entitlement on it and the approved subsidy. */
export async function settleRedemptionFigures(db: Db, redemptionId: string, figures: { executed: Fen; entitlement: Fen; subsidy: Fen }): Promise<void> {
  await db
    .updateTable('redemptions')
    .set({ executed_amount_fen: figures.executed, entitlement_fen: figures.entitlement, subsidy_fen: figures.subsidy })
    .where('id', '=', redemptionId)
    .execute();
}

/** The party's documents of the claim, replacing any it cited before (the ledger keeps every list). */
export async function replaceClaimDocuments(db: Db, redemptionId: string, party: DocumentParty, sha256s: readonly string[]): Promise<void> {
  await db.deleteFrom('claim_documents').where('redemption_id', '=', redemptionId).where('party', '=', party).execute();
  if (sha256s.length === 0) return;
  await db
    .insertInto('claim_documents')
    .values(sha256s.map((sha256, position) => ({ redemption_id: redemptionId, party, position: BigInt(position), sha256 })))
    .execute();
}

/** Every document of the claims, provider's first, each in its listed order. */
export async function documentsOfClaims(db: Db, redemptionIds: readonly string[]): Promise<Map<string, ClaimDocument[]>> {
  const byClaim = new Map<string, ClaimDocument[]>();
  if (redemptionIds.length === 0) return byClaim;
  const rows = await db
    .selectFrom('claim_documents')
    .selectAll()
    .where('redemption_id', 'in', redemptionIds)
    .orderBy('redemption_id')
    .orderBy('party', 'desc')
    .orderBy('position')
    .execute();
  for (const row of rows) {
    const list = byClaim.get(row.redemption_id) ?? [];
    list.push({ party: row.party as DocumentParty, sha256: row.sha256 });
    byClaim.set(row.redemption_id, list);
  }
  return byClaim;
}

export async function claimsOf(db: Db, redemptionIds: readonly string[]): Promise<Map<string, Claim>> {
  if (redemptionIds.length === 0) return new Map();
  const rows = await db.selectFrom('claims').selectAll().where('redemption_id', 'in', redemptionIds).execute();
  return new Map(rows.map((row) => [row.redemption_id, claimToDomain(row)]));
}

/** Appends a decision to the claim's history. */
export async function appendClaimEvent(db: Db, event: ClaimEvent): Promise<void> {
  const last = await db
    .selectFrom('claim_events')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('redemption_id', '=', event.redemptionId)
    .executeTakeFirst();
  await db
    .insertInto('claim_events')
    .values({
      redemption_id: event.redemptionId,
      position: BigInt(last?.position ?? 0n) + 1n,
      at: event.at,
      actor_role: event.actor.role,
      actor_sub: event.actor.sub,
      action: event.action,
      reason: event.reason,
      paid_amount_fen: event.paidAmount,
      ledger_seq: BigInt(event.ledgerSeq),
    })
    .execute();
}

export async function eventsOfClaims(db: Db, redemptionIds: readonly string[]): Promise<Map<string, ClaimEvent[]>> {
  const byClaim = new Map<string, ClaimEvent[]>();
  if (redemptionIds.length === 0) return byClaim;
  const rows = await db
    .selectFrom('claim_events')
    .selectAll()
    .where('redemption_id', 'in', redemptionIds)
    .orderBy('redemption_id')
    .orderBy('position')
    .execute();
  for (const row of rows) {
    const list = byClaim.get(row.redemption_id) ?? [];
    list.push(eventToDomain(row));
    byClaim.set(row.redemption_id, list);
  }
  return byClaim;
}

/**
 * What the contract's open claims hold: their claimed execution and reservations, and how many there are;
 * `including` a claim being approved, whichever status its confirmation already gave it.
 */
export async function openClaimsOnContract(db: Db, contractId: string, including?: string): Promise<{ executed: Fen; reserved: Fen; count: number }> {
  const row = await db
    .selectFrom('claims')
    .innerJoin('redemptions', 'redemptions.id', 'claims.redemption_id')
    .where('redemptions.contract_id', '=', contractId)
    .where((eb) =>
      including === undefined
        ? eb('redemptions.status', 'in', [...OPEN_CLAIM_STATUSES])
        : eb.or([eb('redemptions.status', 'in', [...OPEN_CLAIM_STATUSES]), eb('redemptions.id', '=', including)]),
    )
    .select([
      // sum() of int8 is numeric on PostgreSQL: cast back so that it arrives as a bigint on both engines.
      sql<bigint>`cast(coalesce(sum(claims.claimed_executed_fen), 0) as bigint)`.as('executed'),
      sql<bigint>`cast(coalesce(sum(claims.reserved_fen), 0) as bigint)`.as('reserved'),
      sql<bigint>`count(*)`.as('count'),
    ])
    .executeTakeFirstOrThrow();
  return { executed: BigInt(row.executed), reserved: BigInt(row.reserved), count: Number(row.count) };
}

/** Open claims whose day to confirm (or to answer a return) is before `today`, optionally of one region's vouchers. */
export async function overdueClaims(db: Db, today: string, region?: string): Promise<string[]> {
  let query = db
    .selectFrom('claims')
    .innerJoin('redemptions', 'redemptions.id', 'claims.redemption_id')
    .select('claims.redemption_id')
    .where('redemptions.status', 'in', ['awaiting_confirmation', 'disputed', 'returned'])
    .where('claims.confirmation_due_on', '<', today);
  if (region !== undefined) query = query.innerJoin('vouchers', 'vouchers.id', 'redemptions.voucher_id').where('vouchers.region', '=', region);
  const rows = await query.orderBy('redemptions.ledger_seq').execute();
  return rows.map((row) => row.redemption_id);
}

/** How many claims of a program await a decision: its close waits for them (decision 0042). */
export async function openClaimCountOfProgram(db: Db, programId: string): Promise<number> {
  const row = await db
    .selectFrom('redemptions')
    .innerJoin('vouchers', 'vouchers.id', 'redemptions.voucher_id')
    .where('vouchers.program_id', '=', programId)
    .where('redemptions.status', 'in', [...OPEN_CLAIM_STATUSES])
    .select(sql<bigint>`count(*)`.as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
