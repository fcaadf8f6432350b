import type { Kysely } from 'kysely';
import type { ActorOf } from '../auth/actor.js';
import type { Database } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { DomainError } from '../shared/errors.js';
import { covers } from '../shared/region.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import {
  appendChange,
  findHistory,
  findRegistration,
  findRegistrations,
  insertRegistration,
  listRegistrations,
  updateRegistration,
} from './providers.repository.js';
import type {
  HistoryAction,
  ListProvidersQuery,
  ProviderRegistration,
  ProviderView,
  RegisterProviderInput,
  RegisteredService,
  RegistrationChange,
  ReplaceProviderInput,
  StatusChangeInput,
} from './providers.schemas.js';

type Issuer = ActorOf<'issuer'>;
type Reader = ActorOf<'issuer' | 'auditor' | 'provider'>;

const servicesOf = (input: ReplaceProviderInput): RegisteredService[] =>
  input.services.map((service) => ({ code: service.code, name: service.name, kind: service.kind, autonomous: service.autonomous ?? null }));

/**
 * Whether an issuer or auditor may read a registration: its region covers the registration's (the registers
 * below it), or the registration's region covers the caller's (the registers its own programs rely on,
 * decision 0018). A provider reads its own registrations only.
 */
function mayRead(actor: Reader, registration: ProviderRegistration): boolean {
  if (actor.role === 'provider') return actor.org === registration.uscc;
  return covers(actor.region, registration.region) || covers(registration.region, actor.region);
}

/** The caller's region's registration of `uscc`, for a change: 404 if it has none anywhere, 403 if only elsewhere. */
async function ownRegistration(trx: Kysely<Database>, uscc: string, actor: Issuer): Promise<ProviderRegistration> {
  const registration = await findRegistration(trx, uscc, actor.region);
  if (registration) return registration;
  const elsewhere = await findRegistrations(trx, uscc);
  if (elsewhere.length === 0) throw DomainError.notFound('provider registration');
  throw DomainError.forbidden(`provider ${uscc} is registered only in other regions' registers, outside the caller's region ${actor.region}`);
}

export function createProviderService(deps: Deps) {
  /** Stores the changed registration (or the first one) and appends the change with who made it and when. */
  async function record(
    trx: Kysely<Database>,
    action: HistoryAction,
    before: ProviderRegistration | undefined,
    next: Omit<ProviderRegistration, 'version' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'>,
    actor: Issuer,
    reason: string | null,
  ): Promise<ProviderRegistration> {
    const now = deps.clock.now().toISOString();
    const registration: ProviderRegistration = {
      ...next,
      version: (before?.version ?? 0) + 1,
      createdAt: before?.createdAt ?? now,
      createdBy: before?.createdBy ?? actor.sub,
      updatedAt: now,
      updatedBy: actor.sub,
    };
    if (before) await updateRegistration(trx, registration);
    else await insertRegistration(trx, registration);
    await appendChange(trx, {
      uscc: registration.uscc,
      region: registration.region,
      version: registration.version,
      action,
      // The actor's claims as ledger entries record them (auth/actor.ts).
      actor: { sub: actor.sub, role: actor.role, region: actor.region },
      recordedAt: now,
      reason,
      registration,
    });
    return registration;
  }

  async function changeStatus(uscc: string, input: StatusChangeInput, ctx: CommandContext<Issuer>, to: 'active' | 'suspended') {
    return deps.unitOfWork.run({
      status: 200,
      context: ctx,
      authorize: (trx) => ownRegistration(trx, uscc, ctx.actor),
      execute: async (trx, current) => {
        if (current.status === to)
          throw to === 'suspended'
            ? new DomainError('registration_already_suspended', `provider ${uscc}'s registration in region ${current.region} is already suspended`)
            : new DomainError('registration_not_suspended', `provider ${uscc}'s registration in region ${current.region} is not suspended`);
        const { version: _v, createdAt: _ca, createdBy: _cb, updatedAt: _ua, updatedBy: _ub, ...rest } = current;
        return record(trx, to === 'suspended' ? 'suspended' : 'reinstated', current, { ...rest, status: to }, ctx.actor, input.reason);
      },
    });
  }

  /** Every registration of the provider the caller may read: 404 if it has none, 403 if none is in scope. */
  async function get(uscc: string, actor: Reader): Promise<ProviderView> {
    const all = await findRegistrations(deps.db, uscc);
    if (all.length === 0) throw DomainError.notFound('provider registration');
    const registrations = all.filter((registration) => mayRead(actor, registration));
    if (registrations.length === 0) throw DomainError.forbidden(`provider ${uscc}'s registrations are outside the caller's scope`);
    return { uscc, registrations };
  }

  return {
    get,

    async register(input: RegisterProviderInput, ctx: CommandContext<Issuer>) {
      return deps.unitOfWork.run({
        status: 201,
        context: ctx,
        execute: async (trx) => {
          if (await findRegistration(trx, input.uscc, ctx.actor.region))
            throw new DomainError('provider_already_registered', `provider ${input.uscc} is already registered in region ${ctx.actor.region}; PUT replaces it`, {
              field: 'uscc',
            });
          return record(
            trx,
            'registered',
            undefined,
            { uscc: input.uscc, region: ctx.actor.region, name: input.name, bankAccount: input.bankAccount, services: servicesOf(input), status: 'active' },
            ctx.actor,
            null,
          );
        },
      });
    },

    /** Replaces name, bank account and services; the status stays. A replacement that changes nothing records nothing. */
    async replace(uscc: string, input: ReplaceProviderInput, ctx: CommandContext<Issuer>) {
      return deps.unitOfWork.run({
        status: 200,
        context: ctx,
        authorize: (trx) => ownRegistration(trx, uscc, ctx.actor),
        execute: async (trx, current) => {
          const next = { uscc, region: current.region, name: input.name, bankAccount: input.bankAccount, services: servicesOf(input), status: current.status };
          const unchanged =
            JSON.stringify([current.name, current.bankAccount, current.services]) === JSON.stringify([next.name, next.bankAccount, next.services]);
          return unchanged ? current : record(trx, 'replaced', current, next, ctx.actor, null);
        },
      });
    },

    suspend: (uscc: string, input: StatusChangeInput, ctx: CommandContext<Issuer>) => changeStatus(uscc, input, ctx, 'suspended'),
    reinstate: (uscc: string, input: StatusChangeInput, ctx: CommandContext<Issuer>) => changeStatus(uscc, input, ctx, 'active'),

    /** The changes of the registrations the caller may read (or of one region's), oldest first per region. */
    async history(uscc: string, region: string | undefined, actor: Reader): Promise<{ uscc: string; changes: RegistrationChange[] }> {
      const { registrations } = await get(uscc, actor);
      const regions = registrations.map((registration) => registration.region).filter((candidate) => region === undefined || candidate === region);
      if (region !== undefined && regions.length === 0) {
        const exists = (await findRegistration(deps.db, uscc, region)) !== undefined;
        throw exists ? DomainError.forbidden(`region ${region} is outside the caller's scope`) : DomainError.notFound('provider registration');
      }
      return { uscc, changes: await findHistory(deps.db, uscc, regions) };
    },

    /** The register of a region and the regions below it (default: the caller's). */
    async list(query: ListProvidersQuery, actor: ActorOf<'issuer' | 'auditor'>): Promise<{ region: string; registrations: ProviderRegistration[] }> {
      const region = query.region ?? actor.region;
      if (!covers(actor.region, region)) throw DomainError.forbidden(`region ${region} is outside the caller's scope`);
      return { region, registrations: await listRegistrations(deps.db, region, query.status) };
    },
  };
}

export type ProviderService = ReturnType<typeof createProviderService>;
