import type { ActorOf } from '../../auth/actor.js';
import type { Deps } from '../../deps.js';

/** What oversight's use cases are given: the database for reads, the clock, and the unit of work and ledger writer they record with. */
export type OversightDeps = Pick<Deps, 'db' | 'clock' | 'unitOfWork' | 'ledger'>;

/** Issuers list, delist and declare; issuers and auditors draw spot checks and record their results. */
export type Issuer = ActorOf<'issuer'>;
export type Checker = ActorOf<'issuer' | 'auditor'>;
