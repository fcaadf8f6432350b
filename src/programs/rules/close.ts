// A program's close (decision 0042): when it may close, and what goes back to whom. Pure: the use case loads the
// facts and records the plan as one program.closed entry.
import { splitByWeights } from '../../rules/split.js';
import { DomainError } from '../../shared/errors.js';
import type { Fen } from '../../shared/money.js';
import type { FunderDelta, FunderState, Program } from '../programs.model.js';

export interface VoucherBalance {
  voucherId: string;
  balance: Fen;
}

export interface CloseShare {
  region: string;
  ratio: string;
  /** What the funder had appropriated into the program, net of returns: its weight in the split. */
  confirmed: Fen;
  /** What it still owed, cancelled by the close. */
  pendingCancelled: Fen;
  returned: Fen;
}

export interface ClosePlan {
  vouchers: VoucherBalance[];
  vouchersReturned: Fen;
  availableBefore: Fen;
  /** availableBefore + vouchersReturned: everything the program still holds, back to its funders. */
  returned: Fen;
  funders: CloseShare[];
}

/** The day from which the program may be closed: its period's closesOn, or any day for an open-ended program. */
export const closableFrom = (program: Program): string | null => program.period?.closesOn ?? null;

/**
 * Refuses a close before its closesOn or while claims await a decision. A closed program closes again only to hand
 * back money that came back since (a reversal's clawback), by the same rule; with nothing to return it is refused.
 */
export function assertClosable(program: Program, today: string, openClaims: number, available: Fen): void {
  if (program.closed && available <= 0n)
    throw new DomainError('program_closed', `program ${program.id} was closed on ${program.closed.on}; nothing has come back to return since`);
  const from = closableFrom(program);
  if (from !== null && today < from)
    throw new DomainError('program_open', `program ${program.id} may be closed from ${from}; today is ${today} (Asia/Shanghai)`);
  if (openClaims > 0)
    throw new DomainError('claims_pending', `${openClaims} claim(s) of program ${program.id} await a decision: approve, reject or lapse them first`);
}

/**
 * Everything the program holds goes back to its funders in the shares it came in: weighted by what each confirmed
 * (a pending share paid nothing in), by the largest-remainder rule; what each still owed is cancelled.
 */
export function planClose(request: {
  ownRegion: string;
  funders: readonly FunderState[];
  availableBefore: Fen;
  vouchers: readonly VoucherBalance[];
}): ClosePlan {
  const vouchersReturned = request.vouchers.reduce((sum, v) => sum + v.balance, 0n);
  const returned = request.availableBefore + vouchersReturned;
  const totalConfirmed = request.funders.reduce((sum, f) => sum + f.confirmed, 0n);
  // The issuer's own share is confirmed at creation, so the weights sum above zero; were they all returned by
  // budget decreases, whatever came back since is the issuer's.
  const weights = request.funders.map((f) => ({ region: f.region, weight: totalConfirmed > 0n ? f.confirmed : f.region === request.ownRegion ? 1n : 0n }));
  const shares = splitByWeights(returned, weights);
  return {
    vouchers: [...request.vouchers],
    vouchersReturned,
    availableBefore: request.availableBefore,
    returned,
    funders: request.funders.map((f, i) => ({
      region: f.region,
      ratio: f.ratio,
      confirmed: f.confirmed,
      pendingCancelled: f.pending,
      returned: shares[i]!.amount,
    })),
  };
}

/** What the close moves of each funder's counters. */
export const closeDeltas = (plan: ClosePlan): FunderDelta[] =>
  plan.funders.map((share) => ({ region: share.region, confirmed: -share.returned, pending: -share.pendingCancelled }));

/** A voucher may not outlive its program's period (decision 0042): `expiresOn` after `closesOn` is refused. */
export function assertWithinPeriod(program: Pick<Program, 'period'>, expiresOn: string): void {
  if (program.period && expiresOn > program.period.closesOn)
    throw DomainError.validation([{ field: 'expiresOn', message: `must not be after the program's closesOn (${program.period.closesOn})` }]);
}

/** Refuses anything new on a closed program (decision 0042): vouchers, applications, redemptions, claims, budget increases. */
export function assertProgramOpen(program: Pick<Program, 'id' | 'closed'>): void {
  if (program.closed) throw new DomainError('program_closed', `program ${program.id} was closed on ${program.closed.on}: it takes nothing new`);
}
