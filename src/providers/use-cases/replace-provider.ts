// An issuer replaces a registration of its region's register: name, bank account and services; the status stays.
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { replacementChanges } from '../providers.rules.js';
import type { ReplaceProviderInput } from '../providers.schemas.js';
import type { Issuer, ProviderDeps } from './dependencies.js';
import { recordChange } from './record-change.js';
import { servicesOf } from './register-provider.js';
import { ownRegistration } from './registration-access.js';

/** A replacement that changes nothing records nothing, and answers the registration as it is. */
export async function replaceProvider(deps: ProviderDeps, uscc: string, input: ReplaceProviderInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => ownRegistration(trx, uscc, ctx.actor),
    execute: async (trx, current) => {
      const draft = { uscc, region: current.region, name: input.name, bankAccount: input.bankAccount, services: servicesOf(input), status: current.status };
      if (!replacementChanges(current, draft)) return current;
      return recordChange(trx, { action: 'replaced', before: current, draft, reason: null }, ctx.actor, deps.clock.now());
    },
  });
}
