import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateRecovery, type RecoveryRequest } from '../../src/settlement/rules/allocate-recovery.js';
import { formatFen } from '../../src/shared/money.js';
import { CITY, CO_FUNDERS, PROVINCE, redemptionOf, refusalOf } from '../helpers/settlement-values.js';

const P = 'P-1';

/** Oldest execution first, as the repository gives them: what the provider owes back on each, or is owed (positive). */
const claims = [
  redemptionOf('rdm_1', P, -3_000n, { executedOn: '2025-11-02' }), // owes 30.00
  redemptionOf('rdm_2', P, 10_000n, { executedOn: '2025-11-03' }), // is owed 100.00: not a receivable
  redemptionOf('rdm_3', P, -5_001n, { executedOn: '2025-11-04', openBatchId: 'pbt_9' }), // owes 50.01, set off in a pending line
  redemptionOf('rdm_4', P, -2_000n, { executedOn: '2025-11-05' }), // owes 20.00
  redemptionOf('rdm_5', P, 0n, { executedOn: '2025-11-06' }), // settled
];

const request = (amount: bigint, members: Partial<RecoveryRequest> = {}): RecoveryRequest => ({
  programId: 'prg_1',
  providerUscc: P,
  amount,
  claims,
  funders: CO_FUNDERS,
  ...members,
});
const yuan = (items: { redemptionId: string; owedBefore: bigint; amount: bigint }[]) =>
  items.map((i) => `${i.redemptionId}: ${formatFen(i.amount)} of ${formatFen(i.owedBefore)}`);

describe('allocateRecovery', () => {
  it('settles 40.00 of the 50.00 owed oldest first: 30.00 of rdm_1, then 10.00 of rdm_4; 24.00 / 16.00 back to the funders', () => {
    const allocation = allocateRecovery(request(4_000n));
    expect(yuan(allocation.items)).toEqual(['rdm_1: 30.00 of 30.00', 'rdm_4: 10.00 of 20.00']);
    expect(allocation.shares).toEqual([
      { region: CITY, amount: 2_400n },
      { region: PROVINCE, amount: 1_600n },
    ]);
    expect([allocation.owedBefore, allocation.owedAfter]).toEqual([5_000n, 1_000n]);
  });

  it('skips what a pending line sets off and what is owed to the provider: exactly 50.00 settles both receivables', () => {
    const allocation = allocateRecovery(request(5_000n));
    expect(yuan(allocation.items)).toEqual(['rdm_1: 30.00 of 30.00', 'rdm_4: 20.00 of 20.00']);
    expect(allocation.owedAfter).toBe(0n);
  });

  it('gives the odd fen by largest remainder, as a payment: 0.03 at 0.6 / 0.4 is 1.8 / 1.2 fen, so 0.02 / 0.01', () => {
    const allocation = allocateRecovery(request(3n));
    expect(yuan(allocation.items)).toEqual(['rdm_1: 0.03 of 30.00']);
    expect(allocation.shares.map((s) => formatFen(s.amount))).toEqual(['0.02', '0.01']);
  });

  it('a program funded by its own region alone gets the whole amount back', () => {
    expect(allocateRecovery(request(1_234n, { funders: [{ region: CITY, ratio: '1' }] })).shares).toEqual([{ region: CITY, amount: 1_234n }]);
  });

  it('refuses 50.01 when 50.00 is owed outside pending lines, naming the amount', () => {
    expect(refusalOf(() => allocateRecovery(request(5_001n)))).toEqual({
      code: 'exceeds_receivable',
      message: 'provider P-1 owes 50.00 in program prg_1; 50.01 is more',
      field: 'amount',
    });
  });

  it('refuses any amount from a provider that owes nothing', () => {
    expect(refusalOf(() => allocateRecovery(request(1n, { claims: [redemptionOf('rdm_2', P, 10_000n)] }))).message).toBe(
      'provider P-1 owes 0.00 in program prg_1; 0.01 is more',
    );
  });

  it('allocates exactly the amount, oldest first, each redemption at most what it owes, and splits exactly the amount across the funders', () => {
    const claimsArb = fc
      .array(fc.record({ outstanding: fc.bigInt({ min: -100_000n, max: 100_000n }), open: fc.boolean() }), { maxLength: 8 })
      .map((specs) => specs.map((s, i) => redemptionOf(`rdm_${i}`, P, s.outstanding, { openBatchId: s.open ? 'pbt_9' : null })));
    const fundersArb = fc.constantFrom([{ region: CITY, ratio: '1' }], CO_FUNDERS, [
      { region: 'a', ratio: '0.3333' },
      { region: 'b', ratio: '0.3333' },
      { region: 'c', ratio: '0.3334' },
    ]);
    fc.assert(
      fc.property(claimsArb, fundersArb, fc.double({ min: 0, max: 1, noNaN: true }), (given, funders, fraction) => {
        const owing = given.filter((c) => c.outstanding < 0n && c.openBatchId === null);
        const owed = owing.reduce((sum, c) => sum - c.outstanding, 0n);
        if (owed === 0n) return;
        const amount = 1n + BigInt(Math.floor(fraction * Number(owed - 1n)));
        const allocation = allocateRecovery({ programId: 'prg_1', providerUscc: P, amount, claims: given, funders });
        expect(allocation.items.reduce((sum, i) => sum + i.amount, 0n)).toBe(amount);
        expect(allocation.shares.reduce((sum, s) => sum + s.amount, 0n)).toBe(amount);
        expect(allocation.owedAfter).toBe(owed - amount);
        allocation.items.forEach((item, i) => {
          // The redemptions owing, in their order; every one before the last settled in full.
          expect(item.redemptionId).toBe(owing[i]!.redemptionId);
          expect(item.owedBefore).toBe(-owing[i]!.outstanding);
          expect(item.amount > 0n && item.amount <= item.owedBefore).toBe(true);
          if (i < allocation.items.length - 1) expect(item.amount).toBe(item.owedBefore);
        });
        for (const share of allocation.shares) expect(share.amount >= 0n && share.amount <= amount).toBe(true);
        expect(() => allocateRecovery({ programId: 'prg_1', providerUscc: P, amount: owed + 1n, claims: given, funders })).toThrow(/is more/);
      }),
    );
  });
});
