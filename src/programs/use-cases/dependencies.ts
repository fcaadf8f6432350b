import type { ActorOf } from '../../auth/actor.js';
import type { Deps } from '../../deps.js';

/** What the programs' use cases are given: the database for reads, the clock, the policies, and the unit of work and ledger writer they record with. */
export type ProgramDeps = Pick<Deps, 'db' | 'clock' | 'policies' | 'unitOfWork' | 'ledger'>;

/** Only issuers create programs, confirm funding and change budgets. */
export type Issuer = ActorOf<'issuer'>;
