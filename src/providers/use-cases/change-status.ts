// An issuer suspends or reinstates a registration of its region's register, giving a reason (decision 0018).
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { assertStatusChange, draftOf } from '../providers.rules.js';
import type { StatusChangeInput } from '../providers.schemas.js';
import type { Issuer, ProviderDeps } from './dependencies.js';
import { recordChange } from './record-change.js';
import { ownRegistration } from './registration-access.js';

export async function changeRegistrationStatus(
  deps: ProviderDeps,
  uscc: string,
  input: StatusChangeInput,
  ctx: CommandContext<Issuer>,
  to: 'active' | 'suspended',
) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => ownRegistration(trx, uscc, ctx.actor),
    execute: async (trx, current) => {
      assertStatusChange(current, to);
      const change = {
        action: to === 'suspended' ? ('suspended' as const) : ('reinstated' as const),
        before: current,
        draft: { ...draftOf(current), status: to },
        reason: input.reason,
      };
      return recordChange(trx, change, ctx.actor, deps.clock.now());
    },
  });
}
