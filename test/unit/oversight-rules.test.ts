// The pure rules of decision 0042: the close's split by confirmed weights, when a program may close, the spot
// check's size and draw, and the form of a fully digitalised e-invoice number.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawKey, drawSample, sampleSize } from '../../src/oversight/rules/sample.js';
import type { Program } from '../../src/programs/programs.model.js';
import { assertClosable, planClose } from '../../src/programs/rules/close.js';
import { invoiceNumberProblem } from '../../src/redemptions/rules/invoice-number.js';
import { splitByWeights } from '../../src/rules/split.js';

const codeOf = (run: () => void) => {
  try {
    run();
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('the close’s split', () => {
  it('returns 100,000.01 at confirmed 60,000.01 / 40,000.00 as 60,000.01 and 40,000.00, and cancels what was pending', () => {
    const plan = planClose({
      ownRegion: '330100',
      funders: [
        { region: '330100', ratio: '0.6', confirmed: 6_000_001n, pending: 0n },
        { region: '330000', ratio: '0.4', confirmed: 4_000_000n, pending: 0n },
      ],
      availableBefore: 10_000_001n,
      vouchers: [],
    });
    expect(plan.funders.map((f) => f.returned)).toEqual([6_000_001n, 4_000_000n]);

    const withVoucher = planClose({
      ownRegion: '330100',
      funders: [
        { region: '330100', ratio: '0.6', confirmed: 600_000n, pending: 0n },
        { region: '330000', ratio: '0.4', confirmed: 0n, pending: 400_000n },
      ],
      availableBefore: 100_000n,
      vouchers: [{ voucherId: 'vch_1', balance: 380_000n }],
    });
    // 1,000.00 available + 3,800.00 on the voucher, all to the funder that paid in; the province's 4,000.00 cancelled.
    expect(withVoucher).toMatchObject({ vouchersReturned: 380_000n, returned: 480_000n });
    expect(withVoucher.funders).toEqual([
      { region: '330100', ratio: '0.6', confirmed: 600_000n, pendingCancelled: 0n, returned: 480_000n },
      { region: '330000', ratio: '0.4', confirmed: 0n, pendingCancelled: 400_000n, returned: 0n },
    ]);
  });

  it('always sums to the amount, each share within a fen of its exact proportion, ties to the first listed', () => {
    expect(
      splitByWeights(1n, [
        { region: 'a', weight: 1n },
        { region: 'b', weight: 1n },
      ]).map((s) => s.amount),
    ).toEqual([1n, 0n]);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 8 }),
        (amount, weights) => {
          fc.pre(weights.some((w) => w > 0n));
          const total = weights.reduce((sum, w) => sum + w, 0n);
          const shares = splitByWeights(
            amount,
            weights.map((weight, i) => ({ region: String(i), weight })),
          );
          expect(shares.reduce((sum, s) => sum + s.amount, 0n)).toBe(amount);
          shares.forEach((share, i) => {
            const floor = (amount * weights[i]!) / total;
            expect(share.amount === floor || share.amount === floor + 1n).toBe(true);
          });
        },
      ),
    );
  });
});

describe('when a program may close', () => {
  const program = (over: Partial<Program> = {}) => ({ id: 'prg_1', period: { fiscalYear: 2026, closesOn: '2026-03-31' }, closed: null, ...over }) as Program;
  it('from its closesOn, with no claim open; once closed, again only to return money that came back', () => {
    expect(codeOf(() => assertClosable(program(), '2026-03-30', 0, 100n))).toBe('program_open');
    expect(codeOf(() => assertClosable(program(), '2026-03-31', 1, 100n))).toBe('claims_pending');
    expect(codeOf(() => assertClosable(program(), '2026-03-31', 0, 0n))).toBeNull();
    const closed = program({ closed: { on: '2026-03-31', at: '' } });
    expect(codeOf(() => assertClosable(closed, '2026-04-01', 0, 0n))).toBe('program_closed');
    expect(codeOf(() => assertClosable(closed, '2026-04-01', 0, 120_000n))).toBeNull();
    expect(codeOf(() => assertClosable(program({ period: null }), '2026-01-02', 0, 0n))).toBeNull();
  });
});

describe('a spot check', () => {
  it('takes round_half_up(rate × population)', () => {
    expect(sampleSize('0.10', 200)).toBe(20);
    expect(sampleSize('0.15', 10)).toBe(2);
    expect(sampleSize('0.0025', 200)).toBe(1);
    expect(sampleSize('0.0024', 200)).toBe(0);
    expect(sampleSize('1', 7)).toBe(7);
  });

  it('orders by the hex SHA-256 of seed + id, whatever order the population comes in', () => {
    // SHA-256("sabc") — the seed "s" and the id "abc" concatenated as UTF-8.
    expect(drawKey('s', 'abc')).toBe('cf0bbce2b0833f47b48155c56a549459af12f1724088f0246d837ec199eb787a');
    expect(drawKey('seed', 'id')).toBe(drawKey('seedi', 'd'));
    const ids = Array.from({ length: 50 }, (_, i) => `rdm_${i}`);
    const drawn = drawSample('2026', '0.2', ids);
    expect(drawn).toHaveLength(10);
    expect(drawSample('2026', '0.2', [...ids].reverse())).toEqual(drawn);
    expect(drawSample('2027', '0.2', ids)).not.toEqual(drawn);
  });
});

describe('a fully digitalised e-invoice number', () => {
  it('is checked for its year (21 to this year) and its bureau code; other forms pass', () => {
    expect(invoiceNumberProblem('26330000000000000001', '2026-12-06')).toBeNull();
    expect(invoiceNumberProblem('21330000000000000001', '2026-12-06')).toBeNull();
    expect(invoiceNumberProblem('27330000000000000001', '2026-12-06')).toContain('must be from 21 to 26');
    expect(invoiceNumberProblem('20330000000000000001', '2026-12-06')).toContain('must be from 21 to 26');
    expect(invoiceNumberProblem('26000000000000000001', '2026-12-06')).toContain('must not be 00');
    expect(invoiceNumberProblem('FP-2026-0001', '2026-12-06')).toBeNull();
    expect(invoiceNumberProblem('12345678', '2026-12-06')).toBeNull();
  });
});
