import { describe, expect, it } from 'vitest';
import type { FunderState, HourlyMovement } from '../../src/programs/programs.model.js';
import { balancesOverTime } from '../../src/programs/rules/balances-over-time.js';
import { type BudgetChangeRequest, funderDeltas, planBudgetChange } from '../../src/programs/rules/budget-change.js';
import { fundingErrors, initialFunderStates, listedFunders } from '../../src/programs/rules/funding.js';
import { formatFen } from '../../src/shared/money.js';
import { CITY, CO_FUNDERS, PROVINCE, refusalOf } from '../helpers/settlement-values.js';

/** The members with their amounts in yuan. */
const yuan = (members: object) =>
  Object.fromEntries(Object.entries(members).map(([key, value]: [string, unknown]) => [key, typeof value === 'bigint' ? formatFen(value) : value]));

describe('the funders of a new program', () => {
  it('are the issuer’s region alone when none is listed, and ratios are written as decimal.js writes them', () => {
    expect(listedFunders(undefined, CITY)).toEqual([{ region: CITY, ratio: '1' }]);
    expect(
      listedFunders(
        [
          { region: CITY, ratio: '0.60' },
          { region: PROVINCE, ratio: '0.4000' },
        ],
        CITY,
      ),
    ).toEqual(CO_FUNDERS);
  });

  it('each name the field at fault: a repeated region, one not covering the issuer’s, the issuer’s own missing, ratios not summing to 1', () => {
    expect(fundingErrors(CO_FUNDERS, CITY)).toEqual([]);
    expect(
      fundingErrors(
        [
          { region: '330200', ratio: '0.5' },
          { region: '330200', ratio: '0.3' },
        ],
        CITY,
      ),
    ).toEqual([
      { field: 'funding[0].region', message: "must be the issuer's region 330100 or a region that covers it" },
      { field: 'funding[1].region', message: 'lists region 330200 again (already funding[0])' },
      { field: 'funding[1].region', message: "must be the issuer's region 330100 or a region that covers it" },
      { field: 'funding', message: "must include the issuer's own region 330100" },
      { field: 'funding', message: 'ratios must sum to exactly 1; they sum to 0.8' },
    ]);
  });

  it('split 1,000,000.01 at 0.6 / 0.4 as 600,000.01 confirmed (the odd fen to the larger remainder) and 400,000.00 pending', () => {
    expect(initialFunderStates(100_000_001n, CO_FUNDERS, CITY).map(yuan)).toEqual([
      { region: CITY, ratio: '0.6', confirmed: '600000.01', pending: '0.00' },
      { region: PROVINCE, ratio: '0.4', confirmed: '0.00', pending: '400000.00' },
    ]);
  });
});

/** The city's 0.6 confirmed; the province's 0.4 of 1,000,000.01 still pending. */
const funders: FunderState[] = [
  { region: CITY, ratio: '0.6', confirmed: 60_000_001n, pending: 0n },
  { region: PROVINCE, ratio: '0.4', confirmed: 0n, pending: 40_000_000n },
];
const change = (members: Partial<BudgetChangeRequest>): BudgetChangeRequest => ({
  ownRegion: CITY,
  direction: 'increase',
  amount: 0n,
  available: 60_000_001n,
  funders,
  ...members,
});

describe('planBudgetChange', () => {
  it('an increase of 200,000.07 posts the city’s 120,000.04 at once and leaves the province’s 80,000.03 pending', () => {
    const plan = planBudgetChange(change({ amount: 20_000_007n }));
    expect(plan.shares.map(yuan)).toEqual([
      { region: CITY, ratio: '0.6', amount: '120000.04', status: 'confirmed' },
      { region: PROVINCE, ratio: '0.4', amount: '80000.03', status: 'pending' },
    ]);
    expect(plan.direction === 'increase' && plan.appropriated).toBe(12_000_004n);
    expect(funderDeltas(plan)).toEqual([
      { region: CITY, confirmed: 12_000_004n, pending: 0n },
      { region: PROVINCE, confirmed: 0n, pending: 8_000_003n },
    ]);
  });

  it('a decrease of 1,000.03 returns the city’s 600.02 and cancels 400.01 of what the province still owes', () => {
    const plan = planBudgetChange(change({ direction: 'decrease', amount: 100_003n }));
    expect(plan.shares.map(yuan)).toEqual([
      { region: CITY, ratio: '0.6', amount: '600.02', pendingBefore: '0.00', cancelled: '0.00', returned: '600.02' },
      { region: PROVINCE, ratio: '0.4', amount: '400.01', pendingBefore: '400000.00', cancelled: '400.01', returned: '0.00' },
    ]);
    expect(plan.direction === 'decrease' && plan.returned).toBe(60_002n);
    expect(funderDeltas(plan)).toEqual([
      { region: CITY, confirmed: -60_002n, pending: 0n },
      { region: PROVINCE, confirmed: 0n, pending: -40_001n },
    ]);
  });

  it('a funder owing less than its part has that cancelled and the rest returned: 1.00 pending of 400.01', () => {
    const owingLittle = [funders[0]!, { ...funders[1]!, confirmed: 39_999_900n, pending: 100n }];
    const plan = planBudgetChange(change({ direction: 'decrease', amount: 100_003n, funders: owingLittle }));
    expect(yuan(plan.shares[1]!)).toMatchObject({ cancelled: '1.00', returned: '399.01' });
    expect(plan.direction === 'decrease' && plan.returned).toBe(60_002n + 39_901n);
  });

  it('refuses a decrease beyond what the program has available', () => {
    expect(refusalOf(() => planBudgetChange(change({ direction: 'decrease', amount: 60_000_002n })))).toEqual({
      code: 'insufficient_budget',
      message: 'the program has 600000.01 available, less than the decrease of 600000.02',
      field: undefined,
    });
  });
});

describe('balancesOverTime', () => {
  it('reads the running totals at the end of each Asia/Shanghai day: 16:00 UTC is already the next day', () => {
    const movements: HourlyMovement[] = [
      { hour: '2025-12-14T02', accountKind: 'appropriation', amount: -100_000n },
      { hour: '2025-12-14T02', accountKind: 'program', amount: 100_000n },
      { hour: '2025-12-14T16', accountKind: 'program', amount: -30_000n },
      { hour: '2025-12-14T16', accountKind: 'voucher', amount: 30_000n },
      { hour: '2025-12-15T03', accountKind: 'voucher', amount: -900n },
      { hour: '2025-12-15T03', accountKind: 'payable', amount: 900n },
    ];
    const { current, daily } = balancesOverTime(movements);
    expect(daily).toEqual([
      { date: '2025-12-14', funded: '1000.00', available: '1000.00', onVouchers: '0.00', reserved: '0.00', owedToProviders: '0.00', paid: '0.00' },
      { date: '2025-12-15', funded: '1000.00', available: '700.00', onVouchers: '291.00', reserved: '0.00', owedToProviders: '9.00', paid: '0.00' },
    ]);
    expect(current).toEqual({ funded: '1000.00', available: '700.00', onVouchers: '291.00', reserved: '0.00', owedToProviders: '9.00', paid: '0.00' });
  });
});
