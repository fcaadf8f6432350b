import { parse } from 'csv-parse/sync';
import express, { Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import { actorAs } from '../auth/auth.middleware.js';
import type { Deps } from '../deps.js';
import { commandContext, sendResult } from '../http/command-context.js';
import { parseRequest } from '../http/validate.js';
import { DomainError, fieldErrorsOf } from '../shared/errors.js';
import {
  approveBatchSchema,
  batchParams,
  cancelBatchSchema,
  createBatchSchema,
  lineParams,
  listBatchesQuery,
  markFailedSchema,
  markPaidSchema,
  providerParams,
  recoverySchema,
  STATEMENT_COLUMNS,
  type StatementRow,
  statementRowSchema,
} from './settlement.schemas.js';
import { createSettlementService } from './settlement.service.js';

/** Rows a statement may hold: a batch has one line per provider, so this is far beyond any real one. */
const MAX_STATEMENT_ROWS = 10_000;

/** A bank statement CSV (header reference,amount,paidOn,bankReference), each row validated; fields named body[n].column. */
export function parseStatement(body: unknown): StatementRow[] {
  if (typeof body !== 'string') throw new DomainError('unsupported_media_type', 'send the bank statement as text/csv', { field: 'Content-Type' });
  let records: string[][];
  try {
    records = parse(body, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (err) {
    throw DomainError.validation([{ field: 'body', message: `is not a CSV file: ${(err as Error).message}` }]);
  }
  const [header, ...rows] = records;
  if (!header || header.join(',') !== STATEMENT_COLUMNS.join(','))
    throw DomainError.validation([{ field: 'body', message: `must start with the header ${STATEMENT_COLUMNS.join(',')}` }]);
  if (rows.length > MAX_STATEMENT_ROWS) throw DomainError.validation([{ field: 'body', message: `must hold at most ${MAX_STATEMENT_ROWS} rows` }]);
  return rows.map((cells, index) => {
    const result = statementRowSchema.safeParse(Object.fromEntries(STATEMENT_COLUMNS.map((column, i) => [column, cells[i]])));
    if (!result.success) throw DomainError.validation(fieldErrorsOf(result.error, 'body', [index + 1]));
    return result.data;
  });
}

export function settlementRouter(deps: Deps): Router {
  const settlement = createSettlementService(deps);
  return Router()
    .post('/v1/payment-batches', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(createBatchSchema, req.body, 'body');
      sendResult(res, await settlement.create(input, commandContext(req, actor)));
    })
    .get('/v1/payment-batches', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor');
      res.json(await settlement.list(parseRequest(listBatchesQuery, req.query, 'query'), actor));
    })
    .get('/v1/payment-batches/:id', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor');
      res.json(await settlement.get(parseRequest(batchParams, req.params, 'params').id, actor));
    })
    .get('/v1/payment-batches/:id/instructions.csv', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor');
      const { batch, rows } = await settlement.instructions(parseRequest(batchParams, req.params, 'params').id, actor);
      res.set('Content-Type', 'text/csv; charset=utf-8');
      res.set('Content-Disposition', `attachment; filename="payment-instructions-${batch.id}.csv"`);
      // UTF-8 with a byte-order mark, so that spreadsheet programs show the Chinese names (as the ledger export's bom=1).
      res.send(Buffer.from(`\uFEFF${stringify(rows, { record_delimiter: 'windows' })}`, 'utf8'));
    })
    .post('/v1/payment-batches/:id/approve', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      parseRequest(approveBatchSchema, req.body, 'body');
      const { id } = parseRequest(batchParams, req.params, 'params');
      sendResult(res, await settlement.approve(id, commandContext(req, actor)));
    })
    .post('/v1/payment-batches/:id/cancel', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(cancelBatchSchema, req.body, 'body');
      const { id } = parseRequest(batchParams, req.params, 'params');
      sendResult(res, await settlement.cancel(id, input, commandContext(req, actor)));
    })
    .post('/v1/payment-batches/:id/lines/:lineId/paid', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(markPaidSchema, req.body, 'body');
      const { id, lineId } = parseRequest(lineParams, req.params, 'params');
      sendResult(res, await settlement.markPaid(id, lineId, input, commandContext(req, actor)));
    })
    .post('/v1/payment-batches/:id/lines/:lineId/failed', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(markFailedSchema, req.body, 'body');
      const { id, lineId } = parseRequest(lineParams, req.params, 'params');
      sendResult(res, await settlement.markFailed(id, lineId, input, commandContext(req, actor)));
    })
    .post('/v1/payment-batches/:id/reconcile', express.text({ type: 'text/csv', limit: '1mb' }), async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const { id } = parseRequest(batchParams, req.params, 'params');
      const rows = parseStatement(req.body);
      sendResult(res, await settlement.reconcile(id, rows, commandContext(req, actor)));
    })
    .post('/v1/providers/:uscc/recoveries', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(recoverySchema, req.body, 'body');
      const { uscc } = parseRequest(providerParams, req.params, 'params');
      sendResult(res, await settlement.recover(uscc, input, commandContext(req, actor)));
    });
}
