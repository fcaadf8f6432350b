import type { ActorOf } from '../../auth/actor.js';
import type { Deps } from '../../deps.js';

/** What the vouchers' use cases are given: the database for reads, the clock, and the unit of work and ledger writer they record with. */
export type VoucherDeps = Pick<Deps, 'db' | 'clock' | 'unitOfWork' | 'ledger'>;

/** Only issuers issue and revoke vouchers, in their own region. */
export type Issuer = ActorOf<'issuer'>;
