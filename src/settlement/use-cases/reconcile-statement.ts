// An issuer reconciles a bank statement against a batch in one unit of work (decision 0020): the rows that match a
// pending line exactly pay it; everything else is reported, never paid; a paidOn the rules refuse refuses it all.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { todayIn } from '../../shared/clock.js';
import { fieldPath } from '../../shared/errors.js';
import { formatFen } from '../../shared/money.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { assertPaidOn, assertReconcilable } from '../rules/batch-lifecycle.js';
import { matchStatement, type RowMatch } from '../rules/match-statement.js';
import type { PaymentBatch } from '../settlement.model.js';
import { linesOf } from '../settlement.repository.js';
import type { ReconcileView, StatementRow } from '../settlement.schemas.js';
import type { Issuer, SettlementDeps } from './dependencies.js';
import { issuersBatch } from './issuer-access.js';
import { recordDisbursement, settleBatchStatus } from './record-disbursement.js';

export async function reconcileStatement(deps: SettlementDeps, batchId: string, rows: StatementRow[], ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => issuersBatch(trx, batchId, ctx.actor),
    execute: async (trx, batch): Promise<ReconcileView> => {
      assertReconcilable(batch);
      const matching = matchStatement(await linesOf(trx, [batch.id]), rows);
      const { matched, mismatched, unknown } = await recordMatches(deps, trx, ctx.actor, batch, matching.rows);
      const stillPending = matching.stillPending.map((line) => ({ id: line.id, providerUscc: line.providerUscc, amount: formatFen(line.amount) }));
      return { matched, mismatched, unknown, stillPending, status: await settleBatchStatus(deps, trx, batch) };
    },
  });
}

/** Pays the rows to pay, in the statement's order, and reports every row. */
async function recordMatches(deps: SettlementDeps, trx: Kysely<Database>, actor: Issuer, batch: PaymentBatch, matches: readonly RowMatch[]) {
  const report: Pick<ReconcileView, 'matched' | 'mismatched' | 'unknown'> = { matched: [], mismatched: [], unknown: [] };
  const seqOfRow = new Map<number, number>();
  for (const match of matches) {
    const shown = { reference: match.row.reference, amount: formatFen(match.row.amount) };
    switch (match.kind) {
      case 'unknown':
        report.unknown.push(shown);
        break;
      case 'mismatched':
        report.mismatched.push({ ...shown, expected: formatFen(match.expected), reason: match.reason });
        break;
      case 'already_paid': {
        // A line an earlier row of this statement paid has that row's entry.
        const ledgerSeq = match.paidByRow === null ? match.line.ledgerSeq : seqOfRow.get(match.paidByRow)!;
        report.matched.push({ ...shown, paidOn: match.line.paidOn!, bankReference: match.row.bankReference, ledgerSeq, alreadyPaid: true });
        break;
      }
      case 'pay': {
        assertPaidOn(batch, match.row.paidOn, todayIn(deps.clock), fieldPath([match.rowNumber, 'paidOn']));
        const ledgerSeq = await recordDisbursement(deps, trx, actor, batch, match.line, match.row);
        seqOfRow.set(match.rowNumber, ledgerSeq);
        report.matched.push({ ...shown, paidOn: match.row.paidOn, bankReference: match.row.bankReference, ledgerSeq, alreadyPaid: false });
      }
    }
  }
  return report;
}
