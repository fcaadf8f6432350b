// Reconciliation (decision 0020): a bank statement's rows are matched to the batch's lines by the line id (the
// instruction file's reference) and the exact amount. Only a pending line shown with its exact amount is paid;
// everything else is reported, never paid.
import type { Fen } from '../../shared/money.js';
import type { PaymentLine } from '../settlement.model.js';
import type { ReconcileView, StatementRow } from '../settlement.schemas.js';

export type MismatchReason = ReconcileView['mismatched'][number]['reason'];

export type RowMatch =
  /** A pending line shown with its amount: this row pays it. `rowNumber` counts the statement's rows from 1. */
  | { kind: 'pay'; row: StatementRow; rowNumber: number; line: PaymentLine }
  /**
   * A paid line shown again with the bank reference that paid it (the same statement read twice): matched, not
   * paid again. `paidByRow` is the earlier row of this statement that pays it, null if it was paid before.
   */
  | { kind: 'already_paid'; row: StatementRow; line: PaymentLine; paidByRow: number | null }
  | { kind: 'mismatched'; row: StatementRow; expected: Fen; reason: MismatchReason }
  /** No line of the batch has this reference. */
  | { kind: 'unknown'; row: StatementRow };

export interface StatementMatch {
  /** One match per row, in the statement's order. */
  rows: RowMatch[];
  /** The lines still pending once the rows to pay are paid, in the batch's order. */
  stillPending: PaymentLine[];
}

/** The batch's lines (as loaded) against the statement's rows; a line a row pays counts as paid for the rows after it. */
export function matchStatement(lines: readonly PaymentLine[], rows: readonly StatementRow[]): StatementMatch {
  const byId = new Map(lines.map((line) => [line.id, line]));
  const paidByRow = new Map<string, number>();
  const matches = rows.map((row, index): RowMatch => {
    const line = byId.get(row.reference);
    const match = matchRow(line, row, index + 1, paidByRow);
    if (line && match.kind === 'pay') {
      byId.set(line.id, { ...line, status: 'paid', paidOn: row.paidOn, bankReference: row.bankReference });
      paidByRow.set(line.id, match.rowNumber);
    }
    return match;
  });
  return { rows: matches, stillPending: [...byId.values()].filter((line) => line.status === 'pending') };
}

function matchRow(line: PaymentLine | undefined, row: StatementRow, rowNumber: number, paidByRow: ReadonlyMap<string, number>): RowMatch {
  if (!line) return { kind: 'unknown', row };
  const mismatch = (reason: MismatchReason): RowMatch => ({ kind: 'mismatched', row, expected: line.amount, reason });
  // The amount is compared first: a different amount is never paid, whatever the line's state.
  if (line.amount !== row.amount) return mismatch('amount_differs');
  switch (line.status) {
    case 'failed':
      return mismatch('line_failed');
    case 'cancelled':
      return mismatch('line_cancelled');
    case 'paid':
      // Another transfer for a paid line is a mismatch: it is never paid twice.
      return line.bankReference === row.bankReference
        ? { kind: 'already_paid', row, line, paidByRow: paidByRow.get(line.id) ?? null }
        : mismatch('already_paid');
    case 'pending':
      return { kind: 'pay', row, rowNumber, line };
  }
}
