// A co-funding region's issuer appropriates everything its region owes a program, in one program.funded entry
// (decision 0017).
import { DomainError } from '../../shared/errors.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { fundingConfirmedEntry } from '../programs.entries.js';
import { adjustFunder } from '../programs.repository.js';
import type { Issuer, ProgramDeps } from './dependencies.js';
import { fundersShare } from './program-access.js';
import { currentProgramView } from './read-programs.js';

export async function confirmFunding(deps: ProgramDeps, id: string, region: string, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => fundersShare(trx, id, region, ctx.actor),
    execute: async (trx, { program, funder }) => {
      if (funder.pending === 0n)
        throw new DomainError('nothing_to_confirm', `region ${region} owes program ${program.id} nothing pending: its share is confirmed`);
      await deps.ledger.append(trx, fundingConfirmedEntry(program, { region, amount: funder.pending }, ctx.actor), deps.clock.now());
      await adjustFunder(trx, program.id, { region, confirmed: funder.pending, pending: -funder.pending });
      return currentProgramView(trx, program);
    },
  });
}
