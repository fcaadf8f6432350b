import type { ActorOf } from '../../auth/actor.js';
import type { Deps } from '../../deps.js';

/** What settlement's use cases are given: the database for reads, the clock, and the unit of work and ledger writer they record with. */
export type SettlementDeps = Pick<Deps, 'db' | 'clock' | 'unitOfWork' | 'ledger'>;

/** Only issuers make, approve, pay and reconcile batches and record recoveries. */
export type Issuer = ActorOf<'issuer'>;
