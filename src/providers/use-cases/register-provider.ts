// An issuer registers a provider in its own region's register (decision 0018).
import { DomainError } from '../../shared/errors.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import type { RegisteredService } from '../providers.model.js';
import { findRegistration } from '../providers.repository.js';
import type { RegisterProviderInput, ReplaceProviderInput } from '../providers.schemas.js';
import type { Issuer, ProviderDeps } from './dependencies.js';
import { recordChange } from './record-change.js';

/** The services as the register holds them: autonomy null where it does not apply. */
export const servicesOf = (input: ReplaceProviderInput): RegisteredService[] =>
  input.services.map((service) => ({ code: service.code, name: service.name, kind: service.kind, autonomous: service.autonomous ?? null }));

export async function registerProvider(deps: ProviderDeps, input: RegisterProviderInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    execute: async (trx) => {
      if (await findRegistration(trx, input.uscc, ctx.actor.region))
        throw new DomainError('provider_already_registered', `provider ${input.uscc} is already registered in region ${ctx.actor.region}; PUT replaces it`, {
          field: 'uscc',
        });
      const draft = {
        uscc: input.uscc,
        region: ctx.actor.region,
        name: input.name,
        bankAccount: input.bankAccount,
        services: servicesOf(input),
        status: 'active' as const,
      };
      return recordChange(trx, { action: 'registered', before: undefined, draft, reason: null }, ctx.actor, deps.clock.now());
    },
  });
}
