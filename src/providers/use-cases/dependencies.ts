import type { ActorOf } from '../../auth/actor.js';
import type { Deps } from '../../deps.js';

/** What the register's use cases are given: the database for reads, the clock, and the unit of work they record with. */
export type ProviderDeps = Pick<Deps, 'db' | 'clock' | 'unitOfWork'>;

/** Only issuers register and change registrations, in their own region's register. */
export type Issuer = ActorOf<'issuer'>;

/** Who reads the register: issuers and auditors (by region), providers (their own registrations). */
export type Reader = ActorOf<'issuer' | 'auditor' | 'provider'>;
