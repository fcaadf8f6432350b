// A redemption of a program that takes claims (decision 0041): its evidence is checked, and instead of owing the
// subsidy it reserves it: the claim's figures, documents and first event are stored and the usage is held.
import type { Kysely } from 'kysely';
import { moveClaimUsage } from '../../beneficiaries/usage.repository.js';
import type { Database } from '../../db/schema.js';
import { citeDocuments, uploadedBy } from '../../documents/documents.repository.js';
import { DomainError } from '../../shared/errors.js';
import type { Claim, ClaimMove, DocumentParty } from '../claims.model.js';
import { appendClaimEvent, insertClaim, replaceClaimDocuments } from '../claims.repository.js';
import type { Redemption } from '../redemptions.model.js';
import type { RedemptionDecision, RedemptionRequest } from '../rules/decide-redemption.js';
import type { Provider } from './dependencies.js';
import type { UsageKeys } from './usage-keys.js';

/** A claim's documents: required, and each one the provider itself uploaded. */
export async function claimEvidence(trx: Kysely<Database>, documents: readonly string[] | undefined, actor: Provider): Promise<readonly string[]> {
  if (documents === undefined)
    throw DomainError.validation([
      { field: 'documents', message: 'is required: the program’s redemptions are claims, backed by the contract and the invoice at least (decision 0041)' },
    ]);
  await assertOwnDocuments(trx, documents, { role: 'provider', scope: actor.org });
  return documents;
}

/**
 * Every listed document was uploaded by the party itself; the first that was not is named. Citing a document
 * lets every reader of the claim read it, so only a party's own uploads may be cited.
 */
export async function assertOwnDocuments(trx: Kysely<Database>, documents: readonly string[], uploader: { role: DocumentParty; scope: string }): Promise<void> {
  const own = await uploadedBy(trx, documents, uploader);
  const index = documents.findIndex((sha256) => !own.has(sha256));
  if (index >= 0)
    throw new DomainError('unknown_document', `document ${documents[index]} is not one this ${uploader.role} uploaded (POST /v1/documents)`, {
      field: `documents[${index}]`,
    });
}

/** Both parties and the claim's region may read each party's documents: cited once for each party's org. */
export async function citeClaimDocuments(
  trx: Kysely<Database>,
  documents: readonly string[],
  claim: { redemptionId: string; region: string; providerUscc: string; beneficiaryUscc: string },
): Promise<void> {
  await citeDocuments(trx, documents, { kind: 'claim', id: claim.redemptionId, region: claim.region, org: claim.providerUscc });
  await citeDocuments(trx, documents, { kind: 'claim', id: `${claim.redemptionId}/beneficiary`, region: claim.region, org: claim.beneficiaryUscc });
}

export interface Reservation {
  redemption: Redemption;
  request: RedemptionRequest;
  decision: RedemptionDecision;
  documents: readonly string[];
  move: ClaimMove;
  keys: UsageKeys;
  actor: Provider;
  at: string;
}

/** Stores the claim with the inputs its approval recomputes from, cites its documents and holds the usage. */
export async function reserveClaim(trx: Kysely<Database>, reservation: Reservation): Promise<void> {
  const { redemption, request, decision, move } = reservation;
  const { voucher, program } = request;
  const claim: Claim = {
    redemptionId: redemption.id,
    beneficiaryUscc: voucher.beneficiary.uscc,
    needsConfirmation: program.claims.beneficiaryConfirmation,
    needsReview: program.claims.review,
    claimedExecuted: redemption.executedAmount,
    reservedAtSubmission: decision.subsidy,
    reserved: decision.subsidy,
    paidAmount: null,
    basis: null,
    approved: null,
    released: null,
    confirmationDueOn: move.confirmationDueOn,
    inputs: {
      policyId: request.policy.id,
      year: decision.year,
      netExecutedBefore: request.contract.netExecuted,
      annualCap: decision.bucket.annualCap,
      annualUsedBefore: request.usedBefore.policy,
      programAnnualCap: decision.limit.annualCap,
      programUsedBefore: request.usedBefore.program,
      voucherBalanceBefore: request.voucherBalance,
    },
    updatedAt: reservation.at,
  };
  await insertClaim(trx, claim);
  await replaceClaimDocuments(trx, redemption.id, 'provider', reservation.documents);
  await citeClaimDocuments(trx, reservation.documents, {
    redemptionId: redemption.id,
    region: voucher.region,
    providerUscc: redemption.providerUscc,
    beneficiaryUscc: voucher.beneficiary.uscc,
  });
  await appendClaimEvent(trx, {
    redemptionId: redemption.id,
    at: reservation.at,
    actor: { role: reservation.actor.role, sub: reservation.actor.sub },
    action: 'submitted',
    reason: null,
    paidAmount: null,
    ledgerSeq: redemption.ledgerSeq,
  });
  await moveClaimUsage(trx, reservation.keys.policy, { reserved: decision.subsidy, granted: 0n });
  await moveClaimUsage(trx, reservation.keys.program, { reserved: decision.subsidy, granted: 0n });
}
