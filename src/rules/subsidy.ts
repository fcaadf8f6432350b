import { type Fen, minFen } from '../shared/money.js';
import { floorFen } from './rate.js';

export type LimitedBy = 'annual_cap' | 'program_cap' | 'voucher_balance' | null;

/** A cap and what the enterprise has already been granted under it this year; `cap: null` means uncapped. */
export interface CapState {
  cap: Fen | null;
  usedBefore: Fen;
}

export interface SubsidyInput {
  rate: string;
  netExecutedBefore: Fen;
  executedAmount: Fen;
  policyCap: CapState;
  programCap: CapState;
  voucherBalance: Fen;
}

export interface SubsidyResult {
  netExecutedAfter: Fen;
  entitlement: Fen;
  subsidy: Fen;
  limitedBy: LimitedBy;
  /** Every bound that was considered, for the redemption's recorded reasons. */
  bounds: { annual_cap: Fen | null; program_cap: Fen | null; voucher_balance: Fen };
}

const remaining = ({ cap, usedBefore }: CapState): Fen | null => (cap === null ? null : cap > usedBefore ? cap - usedBefore : 0n);

/**
 * The subsidy of one contract execution. Entitlement is cumulative over the contract, so that splitting
 * an execution never changes the total: floor(rate × after) − floor(rate × before). The subsidy is then
 * cut by the remaining annual caps and the voucher balance; a shortfall is never carried forward.
 */
export function computeSubsidy(input: SubsidyInput): SubsidyResult {
  const netExecutedAfter = input.netExecutedBefore + input.executedAmount;
  const entitlement = floorFen(input.rate, netExecutedAfter) - floorFen(input.rate, input.netExecutedBefore);
  const bounds = {
    annual_cap: remaining(input.policyCap),
    program_cap: remaining(input.programCap),
    voucher_balance: input.voucherBalance,
  };
  const active = (Object.entries(bounds) as [Exclude<LimitedBy, null>, Fen | null][]).filter(
    (entry): entry is [Exclude<LimitedBy, null>, Fen] => entry[1] !== null,
  );
  const subsidy = minFen(entitlement, ...active.map(([, bound]) => bound));
  // The first bound, in the order annual cap, program cap, voucher balance, that cut the entitlement.
  const binding = subsidy < entitlement ? active.find(([, bound]) => bound === subsidy) : undefined;
  return { netExecutedAfter, entitlement, subsidy, limitedBy: binding?.[0] ?? null, bounds };
}
