// A second issuer (the checker) approves a draft exactly as its maker prepared it (decisions 0019 and 0020).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Program } from '../../programs/programs.model.js';
import { findProgramById } from '../../programs/programs.repository.js';
import type { ProviderRegistration } from '../../providers/providers.schemas.js';
import { findRegistrationCovering } from '../../providers/providers.repository.js';
import { activeListingsCovering } from '../../oversight/oversight.repository.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { type ApprovalFacts, assertApprovable } from '../rules/approval.js';
import { assertCheckerIsNotMaker, assertDraft } from '../rules/batch-lifecycle.js';
import { approvalEntry } from '../settlement.entries.js';
import type { PaymentBatch } from '../settlement.model.js';
import { claimsOf, fundersOf, linesOf, redemptionClaims, updateBatch } from '../settlement.repository.js';
import type { BatchView } from '../settlement.schemas.js';
import type { Issuer, SettlementDeps } from './dependencies.js';
import { issuersBatch } from './issuer-access.js';
import { reloadBatchView } from './read-batches.js';

export async function approveBatch(deps: SettlementDeps, id: string, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: async (trx) => {
      const batch = await issuersBatch(trx, id, ctx.actor);
      assertCheckerIsNotMaker(batch, ctx.actor.sub);
      return batch;
    },
    execute: async (trx, batch): Promise<BatchView> => {
      assertDraft(batch);
      const program = (await findProgramById(trx, batch.programId))!;
      const facts = await approvalFacts(trx, batch, program);
      assertApprovable(facts);
      const now = deps.clock.now();
      const entry = await deps.ledger.append(trx, approvalEntry(program, batch, facts.lines, facts.claims, ctx.actor), now);
      await updateBatch(trx, id, { status: 'approved', checker: ctx.actor.sub, approvedAt: now.toISOString(), approvalSeq: entry.seq });
      return reloadBatchView(trx, id);
    },
  });
}

/** What the draft says, and what the program, its claims and its payees' registrations say now. */
async function approvalFacts(trx: Kysely<Database>, batch: PaymentBatch, program: Program): Promise<ApprovalFacts> {
  const currentFunders = await fundersOf(trx, program);
  const lines = await linesOf(trx, [batch.id]);
  const claims = await claimsOf(trx, [batch.id]);
  const standing = await redemptionClaims(trx, program.id, { redemptionIds: claims.map((claim) => claim.redemptionId) });
  const registrations = new Map<string, ProviderRegistration | undefined>();
  const listed = new Set<string>();
  for (const line of lines) {
    registrations.set(line.providerUscc, await findRegistrationCovering(trx, line.providerUscc, program.region));
    if ((await activeListingsCovering(trx, line.providerUscc, program.region)).length > 0) listed.add(line.providerUscc);
  }
  const outstanding = new Map(standing.map((claim) => [claim.redemptionId, claim.outstanding]));
  return { batch, currentFunders, lines, claims, outstanding, registrations, listed };
}
