import { describe, expect, it } from 'vitest';
import {
  batchChangeToRow,
  batchToDomain,
  batchToRow,
  claimToDomain,
  claimToRow,
  lineChangeToRow,
  lineToDomain,
  lineToRow,
} from '../../src/settlement/settlement.repository.js';
import { batchOf, CITY, claimOf, CO_FUNDERS, lineOf, PROVINCE } from '../helpers/settlement-values.js';

describe('the settlement repository’s mappers', () => {
  it('stores a batch’s JSON columns as before: funders as given, receivables and blocked amounts as yuan', () => {
    const batch = batchOf({
      total: 27_001n,
      receivables: [{ providerUscc: 'P-D', amount: 1_000n, redemptionIds: ['rdm_7'] }],
      // The largest amount the ledger holds survives the yuan text exactly.
      blocked: [{ providerUscc: 'P-E', amount: 9_223_372_036_854_775_807n, reason: 'suspended', redemptionIds: ['rdm_8', 'rdm_9'] }],
    });
    const row = batchToRow(batch);
    expect(row).toMatchObject({
      program_id: 'prg_1',
      total_fen: 27_001n,
      approval_seq: 5n,
      funders: JSON.stringify(CO_FUNDERS),
      receivables: '[{"providerUscc":"P-D","amount":"10.00","redemptionIds":["rdm_7"]}]',
      blocked: '[{"providerUscc":"P-E","amount":"92233720368547758.07","reason":"suspended","redemptionIds":["rdm_8","rdm_9"]}]',
    });
    expect(batchToDomain(row)).toEqual(batch);
    expect(batchToDomain(batchToRow(batchOf({ status: 'draft', checker: null, approvedAt: null, approvalSeq: null })))).toEqual(
      batchOf({ status: 'draft', checker: null, approvedAt: null, approvalSeq: null }),
    );
  });

  it('stores a line’s shares as fen digits and its sequence numbers as bigints, and reads them back', () => {
    const line = lineOf('pln_1', 10_001n, {
      position: 3,
      shares: [
        { region: CITY, amount: 6_001n },
        { region: PROVINCE, amount: 4_000n },
      ],
      status: 'paid',
      paidOn: '2025-12-15',
      bankReference: 'ICBC-1',
      ledgerSeq: 42,
      settledAt: '2025-12-15T04:00:00.000Z',
    });
    const row = lineToRow(line);
    expect(row).toMatchObject({
      position: 3n,
      amount_fen: 10_001n,
      shares: '[{"region":"330100","amount":"6001"},{"region":"330000","amount":"4000"}]',
      ledger_seq: 42n,
    });
    expect(lineToDomain(row)).toEqual(line);
  });

  it('sets a claim’s open_redemption_id exactly while it is open', () => {
    expect(claimToRow(claimOf('pln_1', 'rdm_1', 100n)).open_redemption_id).toBe('rdm_1');
    const paid = { ...claimOf('pln_1', 'rdm_1', 100n), status: 'paid' as const };
    expect(claimToRow(paid).open_redemption_id).toBeNull();
    expect(claimToDomain(claimToRow(paid))).toEqual(paid);
  });

  it('a change sets only the members it holds, a null included', () => {
    expect(lineChangeToRow({ status: 'cancelled', failureReason: null, settledAt: 'now' })).toEqual({
      status: 'cancelled',
      failure_reason: null,
      settled_at: 'now',
    });
    expect(lineChangeToRow({ status: 'paid', paidOn: '2025-12-15', bankReference: 'B', ledgerSeq: 9, settledAt: 'now' })).toEqual({
      status: 'paid',
      paid_on: '2025-12-15',
      bank_reference: 'B',
      ledger_seq: 9n,
      settled_at: 'now',
    });
    expect(batchChangeToRow({ status: 'approved', checker: 'c', approvedAt: 'now', approvalSeq: 7 })).toEqual({
      status: 'approved',
      checker: 'c',
      approved_at: 'now',
      approval_seq: 7n,
    });
    expect(batchChangeToRow({ status: 'partially_paid' })).toEqual({ status: 'partially_paid' });
  });
});
