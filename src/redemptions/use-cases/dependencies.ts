import type { ActorOf } from '../../auth/actor.js';
import type { Deps } from '../../deps.js';

/** What the redemptions' use cases are given: the database for reads, the clock, the policies, and the unit of work and ledger writer they record with. */
export type RedemptionDeps = Pick<Deps, 'db' | 'clock' | 'policies' | 'unitOfWork' | 'ledger'>;

/** A provider redeems against its own contracts. */
export type Provider = ActorOf<'provider'>;

/** A reversal is made by the redemption's provider or by an issuer of the voucher's region. */
export type Reverser = ActorOf<'provider' | 'issuer'>;

/** The voucher's enterprise confirms or disputes a claim against it (decision 0041). */
export type Enterprise = ActorOf<'enterprise'>;

/** An issuer of the voucher's region reviews claims. */
export type Issuer = ActorOf<'issuer'>;
