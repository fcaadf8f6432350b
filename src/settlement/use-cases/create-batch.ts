// A maker prepares a draft batch of a program's unpaid claims up to a cutoff (decisions 0019 and 0020).
import { randomUUID } from 'node:crypto';
import type { ProviderRegistration } from '../../providers/providers.schemas.js';
import { findRegistrationCovering } from '../../providers/providers.repository.js';
import { activeListingsCovering } from '../../oversight/oversight.repository.js';
import { todayIn } from '../../shared/clock.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { assertNotAfterToday } from '../rules/batch-lifecycle.js';
import { composeBatch, gatherClaims } from '../rules/compose-batch.js';
import { fundersOf, insertBatch, redemptionClaims } from '../settlement.repository.js';
import type { BatchView, CreateBatchInput } from '../settlement.schemas.js';
import { batchView } from '../settlement.views.js';
import type { Issuer, SettlementDeps } from './dependencies.js';
import { issuersProgram } from './issuer-access.js';

export async function createBatch(deps: SettlementDeps, input: CreateBatchInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    authorize: (trx) => issuersProgram(trx, input.programId, ctx.actor),
    execute: async (trx, program): Promise<BatchView> => {
      // A cutoff in the future would gather nothing more (executions are never in the future) and misdate the batch.
      assertNotAfterToday(input.cutoff, todayIn(deps.clock), 'cutoff');
      const funders = await fundersOf(trx, program);
      const providers = gatherClaims(await redemptionClaims(trx, program.id), input.cutoff);
      // Only a provider that is owed money gets a line, so only its registration matters.
      const registrations = new Map<string, ProviderRegistration | undefined>();
      const listed = new Set<string>();
      for (const { providerUscc, net } of providers)
        if (net > 0n) {
          registrations.set(providerUscc, await findRegistrationCovering(trx, providerUscc, program.region));
          if ((await activeListingsCovering(trx, providerUscc, program.region)).length > 0) listed.add(providerUscc);
        }

      const createdAt = deps.clock.now().toISOString();
      const heading = { id: `pbt_${randomUUID()}`, program, cutoff: input.cutoff, maker: ctx.actor.sub, createdAt, funders };
      const { batch, lines, claims } = composeBatch(heading, providers, registrations, () => `pln_${randomUUID()}`, listed);
      await insertBatch(trx, batch, lines, claims);
      return batchView(batch, lines, claims);
    },
  });
}
