import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchStatement, type RowMatch } from '../../src/settlement/rules/match-statement.js';
import type { PaymentLine } from '../../src/settlement/settlement.model.js';
import type { StatementRow } from '../../src/settlement/settlement.schemas.js';
import { lineOf } from '../helpers/settlement-values.js';

const row = (reference: string, amount: bigint, bankReference = 'ICBC-1', paidOn = '2025-12-15'): StatementRow => ({
  reference,
  amount,
  paidOn,
  bankReference,
});

/** A match as one short line: kind, reference, and what decides it. */
function summary(match: RowMatch): string {
  switch (match.kind) {
    case 'pay':
      return `pay ${match.row.reference} (row ${match.rowNumber})`;
    case 'already_paid':
      return `already_paid ${match.row.reference} on ${match.line.paidOn} by ${match.paidByRow === null ? `seq ${match.line.ledgerSeq}` : `row ${match.paidByRow}`}`;
    case 'mismatched':
      return `mismatched ${match.row.reference} ${match.reason}, expected ${match.expected}`;
    case 'unknown':
      return `unknown ${match.row.reference}`;
  }
}

describe('matchStatement', () => {
  // 100.01 and 200.00 pending; 50.00 paid by ICBC-A (entry 7); 30.00 failed; 40.00 cancelled.
  const lines = [
    lineOf('pln_a', 10_001n),
    lineOf('pln_b', 20_000n),
    lineOf('pln_c', 5_000n, { status: 'paid', paidOn: '2025-12-14', bankReference: 'ICBC-A', ledgerSeq: 7 }),
    lineOf('pln_d', 3_000n, { status: 'failed', failureReason: '账户名称不符' }),
    lineOf('pln_e', 4_000n, { status: 'cancelled' }),
  ];

  it('pays a pending line shown with its exact amount, and reports every other row without paying it', () => {
    const matching = matchStatement(lines, [
      row('pln_a', 10_001n, 'B-1'),
      row('pln_b', 20_010n, 'B-2'), // 200.10 for a line of 200.00
      row('pln_c', 5_000n, 'ICBC-A'), // the statement that paid it, read again
      row('pln_c', 5_000n, 'ICBC-X'), // a second transfer for a paid line
      row('pln_d', 3_000n),
      row('pln_d', 3_001n), // the amount is compared first, whatever the line's state
      row('pln_e', 4_000n),
      row('pln_unknown', 500n),
    ]);
    expect(matching.rows.map(summary)).toEqual([
      'pay pln_a (row 1)',
      'mismatched pln_b amount_differs, expected 20000',
      'already_paid pln_c on 2025-12-14 by seq 7',
      'mismatched pln_c already_paid, expected 5000',
      'mismatched pln_d line_failed, expected 3000',
      'mismatched pln_d amount_differs, expected 3000',
      'mismatched pln_e line_cancelled, expected 4000',
      'unknown pln_unknown',
    ]);
    expect(matching.stillPending.map((line) => line.id)).toEqual(['pln_b']);
  });

  it('pays a line once when the statement shows it twice: the repeat matches the earlier row, another bank reference is a mismatch', () => {
    const matching = matchStatement(lines, [
      row('pln_a', 10_001n, 'B-1', '2025-12-14'),
      row('pln_a', 10_001n, 'B-1', '2025-12-15'),
      row('pln_a', 10_001n, 'B-9'),
    ]);
    expect(matching.rows.map(summary)).toEqual([
      'pay pln_a (row 1)',
      // Matched with the payment row 1 records: its day, not the repeat's.
      'already_paid pln_a on 2025-12-14 by row 1',
      'mismatched pln_a already_paid, expected 10001',
    ]);
    expect(matching.stillPending.map((line) => line.id)).toEqual(['pln_b']);
  });

  it('an empty statement pays nothing and leaves every pending line pending, in the batch order', () => {
    expect(matchStatement(lines, [])).toEqual({ rows: [], stillPending: [lines[0], lines[1]] });
  });

  it('does not change the lines it is given', () => {
    const before = structuredClone(lines);
    matchStatement(lines, [row('pln_a', 10_001n), row('pln_b', 20_000n)]);
    expect(lines).toEqual(before);
  });

  it('pays each pending line at most once, only for its exact amount, and leaves pending exactly the lines no row paid', () => {
    const statuses = ['pending', 'paid', 'failed', 'cancelled'] as const;
    const linesArb = fc.uniqueArray(
      fc.record({ n: fc.integer({ min: 0, max: 5 }), amount: fc.bigInt({ min: 1n, max: 300n }), status: fc.constantFrom(...statuses) }),
      { selector: (l) => l.n, maxLength: 5 },
    );
    const rowsArb = fc.array(fc.record({ n: fc.integer({ min: 0, max: 6 }), amount: fc.bigInt({ min: 1n, max: 300n }), bank: fc.constantFrom('B-1', 'B-2') }), {
      maxLength: 12,
    });
    fc.assert(
      fc.property(linesArb, rowsArb, (specs, rowSpecs) => {
        const given: PaymentLine[] = specs.map((s) =>
          lineOf(
            `pln_${s.n}`,
            s.amount,
            s.status === 'paid' ? { status: 'paid', paidOn: '2025-12-14', bankReference: 'B-1', ledgerSeq: 3 } : { status: s.status },
          ),
        );
        const rows = rowSpecs.map((r) => row(`pln_${r.n}`, r.amount, r.bank));
        const matching = matchStatement(given, rows);
        expect(matching.rows).toHaveLength(rows.length);
        const paid = matching.rows.flatMap((m) => (m.kind === 'pay' ? [m] : []));
        expect(new Set(paid.map((m) => m.line.id)).size).toBe(paid.length);
        for (const m of paid) {
          expect(m.line.status).toBe('pending');
          expect(m.row.amount).toBe(m.line.amount);
        }
        const paidIds = new Set(paid.map((m) => m.line.id));
        expect(matching.stillPending.map((l) => l.id)).toEqual(given.filter((l) => l.status === 'pending' && !paidIds.has(l.id)).map((l) => l.id));
        // A row for a line that is not in the batch is unknown, and only such a row.
        matching.rows.forEach((m, i) => expect(m.kind === 'unknown').toBe(!given.some((l) => l.id === rows[i]!.reference)));
      }),
    );
  });
});
