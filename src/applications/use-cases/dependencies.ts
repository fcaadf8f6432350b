import type { ActorOf } from '../../auth/actor.js';
import type { Deps } from '../../deps.js';

/** What the applications' use cases are given: the database for reads, the clock, and the unit of work and ledger writer they record with. */
export type ApplicationDeps = Pick<Deps, 'db' | 'clock' | 'unitOfWork' | 'ledger'>;

/** Enterprises apply and answer returns; issuers of the program's region review, take objections and grant. */
export type Enterprise = ActorOf<'enterprise'>;
export type Issuer = ActorOf<'issuer'>;
export type Reader = ActorOf<'issuer' | 'auditor' | 'enterprise'>;
