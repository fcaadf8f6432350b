// Payment batches (maker-checker), payments, reconciliation, failures, cancellations and recoveries through the
// real app, with worked numbers: non-autonomous compute at 10%, co-funded 0.6 by Hangzhou and 0.4 by the province.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.js';
import { listRedemptionViews } from '../../src/redemptions/use-cases/read-redemptions.js';
import { runVerification } from '../../src/verifier/run.js';
import { HANGZHOU, NINGBO, OTHER_PROVIDER, PROVIDER, uscc, ZHEJIANG } from '../helpers/fixtures.js';
import { expectLedgerInvariants, lastEntry, snapshot } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type Client, mintToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let checker: Client;
let province: Client;
beforeEach(async () => {
  t = await buildTestApp();
  checker = await t.as({ role: 'issuer', region: HANGZHOU, sub: 'checker-hz' });
  province = await t.as({ role: 'issuer', region: ZHEJIANG });
});
afterEach(() => t.close());

const CO_FUNDING = [
  { region: HANGZHOU, ratio: '0.6' },
  { region: ZHEJIANG, ratio: '0.4' },
];

async function register(uscc: string, name: string, as: Client = t.issuer) {
  const res = await as.post('/v1/providers', {
    uscc,
    name,
    bankAccount: { bankName: '中国工商银行杭州分行', accountName: name, accountNumber: '1202020209900012345' },
    services: [{ code: 'GPU-A', name: '智算集群', kind: 'compute', autonomous: false }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** A co-funded compute program (both shares confirmed), a voucher on it, and a registered provider's contract. */
async function coFunded() {
  const s = scenario(t);
  const program = await s.program({ funding: CO_FUNDING, budget: '1000000.00' });
  const confirmed = await province.post(`/v1/programs/${program.id}/funding/${ZHEJIANG}/confirm`);
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  const voucher = await s.voucher(program.id, { amount: '500000.00' });
  await register(PROVIDER, '杭州算力服务有限公司');
  const contract = await s.contract();
  return { s, program, voucher, contract };
}

async function redeem(
  setup: Awaited<ReturnType<typeof coFunded>>,
  executedAmount: string,
  extra: Record<string, unknown> = {},
  as: Client = t.provider,
  contractId = setup.contract.id,
) {
  const res = await setup.s.redeem(setup.voucher.id, contractId, executedAmount, extra, as);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; subsidy: string };
}

const makeBatch = async (programId: string, cutoff = '2025-12-15', as: Client = t.issuer) => as.post('/v1/payment-batches', { programId, cutoff });

async function approvedBatch(programId: string) {
  const made = await makeBatch(programId);
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const approved = await checker.post(`/v1/payment-batches/${made.body.id}/approve`);
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return approved.body;
}

async function verifyExport() {
  const dir = mkdtempSync(join(tmpdir(), 'vl-settlement-'));
  try {
    const file = join(dir, 'ledger.ndjson');
    writeFileSync(file, (await t.auditor.get('/v1/ledger/export?format=ndjson')).text);
    return await runVerification({ file });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a payment batch, from claim to payment', () => {
  it('gathers the claim into one line split 60.01 / 40.00, is approved by a second issuer and paid, and the verifier accepts it', async () => {
    const setup = await coFunded();
    const r = await redeem(setup, '1000.10');
    expect(r.subsidy).toBe('100.01');
    expect((await t.provider.get(`/v1/redemptions/${r.id}`)).body.settlement).toEqual({ status: 'unpaid', batchId: null, paidOn: null, bankReference: null });

    const made = await makeBatch(setup.program.id);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      programId: setup.program.id,
      cutoff: '2025-12-15',
      status: 'draft',
      maker: `issuer-${HANGZHOU}`,
      checker: null,
      total: '100.01',
      receivables: [],
      blocked: [],
      lines: [
        {
          providerUscc: PROVIDER,
          providerName: '杭州算力服务有限公司',
          bankAccount: { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' },
          amount: '100.01',
          shares: [
            { region: HANGZHOU, amount: '60.01' },
            { region: ZHEJIANG, amount: '40.00' },
          ],
          redemptionIds: [r.id],
          status: 'pending',
        },
      ],
    });
    const batchId = made.body.id as string;
    const lineId = made.body.lines[0].id as string;
    expect((await t.issuer.get(`/v1/redemptions/${r.id}`)).body.settlement).toEqual({ status: 'in_batch', batchId, paidOn: null, bankReference: null });
    // A draft has no instruction file yet.
    expect((await t.issuer.get(`/v1/payment-batches/${batchId}/instructions.csv`)).body.code).toBe('batch_not_approved');

    // The maker cannot approve its own batch; nothing is written.
    const before = await snapshot(t.db);
    const selfApproved = await t.issuer.post(`/v1/payment-batches/${batchId}/approve`);
    expect(selfApproved.status).toBe(403);
    expect(selfApproved.body.code).toBe('maker_checker');
    expect(await snapshot(t.db)).toBe(before);

    const approved = await checker.post(`/v1/payment-batches/${batchId}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', maker: `issuer-${HANGZHOU}`, checker: 'checker-hz' });
    const approval = await lastEntry(t.db);
    expect(approval.type).toBe('payment.approved');
    expect(approval.postings).toEqual([]);
    expect(approval.data).toMatchObject({
      batchId,
      maker: `issuer-${HANGZHOU}`,
      checker: 'checker-hz',
      funders: CO_FUNDING,
      total: '100.01',
      lines: [
        {
          lineId,
          providerUscc: PROVIDER,
          amount: '100.01',
          shares: [
            { region: HANGZHOU, amount: '60.01' },
            { region: ZHEJIANG, amount: '40.00' },
          ],
          redemptions: [{ redemptionId: r.id, amount: '100.01' }],
        },
      ],
    });
    // Approving twice is refused.
    expect((await checker.post(`/v1/payment-batches/${batchId}/approve`)).body.code).toBe('batch_not_draft');

    const csv = await t.auditor
      .get(`/v1/payment-batches/${batchId}/instructions.csv`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toBe(
      '\uFEFFreference,provider_name,provider_uscc,bank_name,account_name,account_number,amount,share_330100,share_330000\r\n' +
        `${lineId},杭州算力服务有限公司,${PROVIDER},中国工商银行杭州分行,杭州算力服务有限公司,1202020209900012345,100.01,60.01,40.00\r\n`,
    );

    // Paid before the approval day, or in the future: refused.
    expect((await t.issuer.post(`/v1/payment-batches/${batchId}/lines/${lineId}/paid`, { bankReference: 'ICBC-1', paidOn: '2025-12-14' })).body.code).toBe(
      'paid_before_approval',
    );
    expect((await t.issuer.post(`/v1/payment-batches/${batchId}/lines/${lineId}/paid`, { bankReference: 'ICBC-1', paidOn: '2025-12-16' })).body).toMatchObject({
      code: 'future_date',
      field: 'paidOn',
    });

    const paid = await t.issuer.post(`/v1/payment-batches/${batchId}/lines/${lineId}/paid`, { bankReference: 'ICBC-20251215-0001', paidOn: '2025-12-15' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', lines: [{ status: 'paid', paidOn: '2025-12-15', bankReference: 'ICBC-20251215-0001' }] });
    const disbursed = await lastEntry(t.db);
    expect(disbursed.type).toBe('payment.disbursed');
    expect(disbursed.postings).toEqual([
      { account: `payable:${PROVIDER}`, amount: '-100.01' },
      { account: `disbursed:${HANGZHOU}`, amount: '60.01' },
      { account: `disbursed:${ZHEJIANG}`, amount: '40.00' },
    ]);
    expect(disbursed.data).toMatchObject({
      lineId,
      redemptions: [{ redemptionId: r.id, amount: '100.01' }],
      bankReference: 'ICBC-20251215-0001',
      paidOn: '2025-12-15',
      maker: `issuer-${HANGZHOU}`,
      checker: 'checker-hz',
    });
    // A line is paid once.
    expect((await t.issuer.post(`/v1/payment-batches/${batchId}/lines/${lineId}/paid`, { bankReference: 'X', paidOn: '2025-12-15' })).body.code).toBe(
      'batch_not_approved',
    );
    expect((await t.provider.get(`/v1/redemptions/${r.id}`)).body.settlement).toEqual({
      status: 'paid',
      batchId,
      paidOn: '2025-12-15',
      bankReference: 'ICBC-20251215-0001',
    });

    // Nothing is left to gather.
    const next = await makeBatch(setup.program.id);
    expect(next.body).toMatchObject({ lines: [], total: '0.00', receivables: [] });

    await expectLedgerInvariants(t.db);
    const report = await verifyExport();
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.status === 'fail'))).toBe(true);
  });

  it('gathers only claims executed on or before the cutoff, one line per provider, and nets receivables', async () => {
    const setup = await coFunded();
    await register(OTHER_PROVIDER, '宁波数据服务有限公司');
    const other = await setup.s.contract({}, await t.as({ role: 'provider', org: OTHER_PROVIDER }));
    const a1 = await redeem(setup, '1000.00', { executedOn: '2025-12-01' });
    const a2 = await redeem(setup, '2000.00', { executedOn: '2025-12-10' });
    const late = await redeem(setup, '5000.00', { executedOn: '2025-12-12' });
    const b1 = await redeem(setup, '300.00', { executedOn: '2025-12-05' }, await t.as({ role: 'provider', org: OTHER_PROVIDER }), other.id);
    const made = await makeBatch(setup.program.id, '2025-12-10');
    expect(made.status).toBe(201);
    expect(made.body.total).toBe('330.00');
    expect(made.body.lines.map((l: { providerUscc: string; amount: string; redemptionIds: string[] }) => [l.providerUscc, l.amount, l.redemptionIds])).toEqual(
      [
        [PROVIDER, '300.00', [a1.id, a2.id]],
        [OTHER_PROVIDER, '30.00', [b1.id]],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect((await t.provider.get(`/v1/redemptions/${late.id}`)).body.settlement.status).toBe('unpaid');
  });

  it('lists providers without an active registration under blocked, with the reason', async () => {
    const setup = await coFunded();
    const unregistered = uscc(77);
    const stranger = await t.as({ role: 'provider', org: unregistered });
    const contract = await setup.s.contract({}, stranger);
    await redeem(setup, '1000.00', {}, stranger, contract.id);
    await redeem(setup, '500.00');
    expect((await t.issuer.post(`/v1/providers/${PROVIDER}/suspend`, { reason: '服务未履约' })).status).toBe(200);
    const made = await makeBatch(setup.program.id);
    expect(made.status).toBe(201);
    expect(made.body.lines).toEqual([]);
    expect(made.body.blocked.map((b: { providerUscc: string; amount: string; reason: string }) => [b.providerUscc, b.amount, b.reason]).sort()).toEqual(
      [
        [PROVIDER, '50.00', 'suspended'],
        [unregistered, '100.00', 'not_registered'],
      ].sort(),
    );
    expect((await checker.post(`/v1/payment-batches/${made.body.id}/approve`)).body.code).toBe('empty_batch');
  });
});

describe('the instruction file', () => {
  it('keeps a provider name that a spreadsheet would run as a formula inert', async () => {
    const setup = await coFunded();
    const sly = uscc(55);
    await register(sly, '=HYPERLINK("http://x","点击")');
    const slyProvider = await t.as({ role: 'provider', org: sly });
    const contract = await setup.s.contract({}, slyProvider);
    await redeem(setup, '10.00', {}, slyProvider, contract.id);
    const batch = await approvedBatch(setup.program.id);
    const csv = await t.issuer.get(`/v1/payment-batches/${batch.id}/instructions.csv`);
    const row = csv.text.split('\r\n')[1]!;
    expect(row).toBe(
      `${batch.lines[0].id},"'=HYPERLINK(""http://x"",""点击"")",${sly},中国工商银行杭州分行,"'=HYPERLINK(""http://x"",""点击"")",1202020209900012345,1.00,0.60,0.40`,
    );
  });
});

describe('one claim is never paid twice', () => {
  it('a second batch does not gather a claim that an open batch holds, and a cancelled batch releases it', async () => {
    const setup = await coFunded();
    const r = await redeem(setup, '1000.10');
    const first = await makeBatch(setup.program.id);
    expect(first.body.lines).toHaveLength(1);
    const second = await makeBatch(setup.program.id);
    expect(second.body.lines).toEqual([]);
    const cancelled = await t.issuer.post(`/v1/payment-batches/${first.body.id}/cancel`, { reason: '重新编制' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', lines: [{ status: 'cancelled' }] });
    expect((await t.provider.get(`/v1/redemptions/${r.id}`)).body.settlement.status).toBe('unpaid');
    const third = await makeBatch(setup.program.id);
    expect(third.body.lines[0]).toMatchObject({ amount: '100.01', redemptionIds: [r.id] });
    expect((await t.issuer.post(`/v1/payment-batches/${first.body.id}/cancel`)).body.code).toBe('batch_not_cancellable');
  });

  it('concurrent batch creations put each claim in exactly one batch', async () => {
    const setup = await coFunded();
    const redemptions = [];
    for (const amount of ['1000.10', '2000.00', '3000.00']) redemptions.push(await redeem(setup, amount));
    const made = await Promise.all(Array.from({ length: 8 }, () => makeBatch(setup.program.id)));
    expect(made.map((res) => res.status)).toEqual(Array(8).fill(201));
    const claimed = made.flatMap((res) => res.body.lines.flatMap((line: { redemptionIds: string[] }) => line.redemptionIds));
    expect(claimed.sort()).toEqual(redemptions.map((r) => r.id).sort());
    expect(made.filter((res) => res.body.lines.length > 0)).toHaveLength(1);
  });

  it('the schema itself refuses a second open claim on one redemption', async () => {
    const setup = await coFunded();
    const r = await redeem(setup, '1000.10');
    const batch = await makeBatch(setup.program.id);
    const lineId = batch.body.lines[0].id as string;
    const other = await makeBatch(setup.program.id);
    // A forged claim on the same redemption in another batch, written below every rule.
    const line = {
      ...(await t.db.selectFrom('payment_lines').selectAll().where('id', '=', lineId).executeTakeFirstOrThrow()),
      id: 'pln_forged',
      batch_id: other.body.id as string,
    };
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx.insertInto('payment_lines').values(line).execute();
        await trx
          .insertInto('payment_claims')
          .values({
            line_id: 'pln_forged',
            batch_id: other.body.id as string,
            redemption_id: r.id,
            amount_fen: 10001n,
            status: 'open',
            open_redemption_id: r.id,
          })
          .execute();
      }),
    ).rejects.toThrow();
    // Nor may a claim pretend to be open without its marker.
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx.insertInto('payment_lines').values(line).execute();
        await trx
          .insertInto('payment_claims')
          .values({
            line_id: 'pln_forged',
            batch_id: other.body.id as string,
            redemption_id: r.id,
            amount_fen: 10001n,
            status: 'open',
            open_redemption_id: null,
          })
          .execute();
      }),
    ).rejects.toThrow(/payment_claims_open_marker/);
    // Nor may a batch be checked by its maker, whatever writes it.
    await expect(
      t.db
        .updateTable('payment_batches')
        .set({ checker: `issuer-${HANGZHOU}` })
        .where('id', '=', batch.body.id as string)
        .execute(),
    ).rejects.toThrow(/payment_batches_maker_is_not_checker/);
  });
});

describe('failures, cancellations and reconciliation', () => {
  it('a failed line returns its claims to unpaid; the next batch pays them', async () => {
    const setup = await coFunded();
    const r = await redeem(setup, '1000.10');
    const batch = await approvedBatch(setup.program.id);
    const lineId = batch.lines[0].id as string;
    const failed = await t.issuer.post(`/v1/payment-batches/${batch.id}/lines/${lineId}/failed`, { reason: '账户名称不符 account name mismatch' });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    expect(failed.body).toMatchObject({ status: 'cancelled', lines: [{ status: 'failed', failureReason: '账户名称不符 account name mismatch' }] });
    expect((await t.provider.get(`/v1/redemptions/${r.id}`)).body.settlement).toEqual({ status: 'unpaid', batchId: null, paidOn: null, bankReference: null });
    const again = await approvedBatch(setup.program.id);
    expect(again.lines[0]).toMatchObject({ amount: '100.01', redemptionIds: [r.id] });
    const paid = await t.issuer.post(`/v1/payment-batches/${again.id}/lines/${again.lines[0].id}/paid`, { bankReference: 'B-2', paidOn: '2025-12-15' });
    expect(paid.status).toBe(200);
    const report = await verifyExport();
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.status === 'fail'))).toBe(true);
  });

  it('reconciles a statement with one matching, one mismatched and one unknown row, in one unit of work', async () => {
    const setup = await coFunded();
    await register(OTHER_PROVIDER, '宁波数据服务有限公司');
    const otherProvider = await t.as({ role: 'provider', org: OTHER_PROVIDER });
    const other = await setup.s.contract({}, otherProvider);
    await redeem(setup, '1000.10');
    await redeem(setup, '2000.00', {}, otherProvider, other.id);
    const batch = await approvedBatch(setup.program.id);
    const lineOf = (u: string) => batch.lines.find((l: { providerUscc: string }) => l.providerUscc === u);
    const mine = lineOf(PROVIDER);
    const theirs = lineOf(OTHER_PROVIDER);
    expect([mine.amount, theirs.amount]).toEqual(['100.01', '200.00']);
    const statement = `reference,amount,paidOn,bankReference\r\n${mine.id},100.01,2025-12-15,ICBC-A\r\n${theirs.id},200.10,2025-12-15,ICBC-B\r\npln_unknown,5.00,2025-12-15,ICBC-C\r\n`;
    const reconciled = await t.issuer.post(`/v1/payment-batches/${batch.id}/reconcile`).set('Content-Type', 'text/csv').send(statement);
    expect(reconciled.status, JSON.stringify(reconciled.body)).toBe(200);
    expect(reconciled.body).toMatchObject({
      matched: [{ reference: mine.id, amount: '100.01', paidOn: '2025-12-15', bankReference: 'ICBC-A', alreadyPaid: false }],
      mismatched: [{ reference: theirs.id, amount: '200.10', expected: '200.00', reason: 'amount_differs' }],
      unknown: [{ reference: 'pln_unknown', amount: '5.00' }],
      stillPending: [{ id: theirs.id, providerUscc: OTHER_PROVIDER, amount: '200.00' }],
      status: 'partially_paid',
    });
    const entry = await lastEntry(t.db);
    expect(entry).toMatchObject({ type: 'payment.disbursed', data: { lineId: mine.id, bankReference: 'ICBC-A' } });
    // The same statement again pays nothing twice.
    const again = await t.issuer.post(`/v1/payment-batches/${batch.id}/reconcile`).set('Content-Type', 'text/csv').send(statement);
    expect(again.body.matched).toMatchObject([{ reference: mine.id, alreadyPaid: true }]);
    expect((await lastEntry(t.db)).seq).toBe(entry.seq);
    // A partially paid batch cannot be cancelled.
    expect((await t.issuer.post(`/v1/payment-batches/${batch.id}/cancel`)).body.code).toBe('batch_not_cancellable');

    // A statement row that is not a valid row refuses the whole statement, naming the field; nothing changes.
    const before = await snapshot(t.db);
    const bad = await t.issuer
      .post(`/v1/payment-batches/${batch.id}/reconcile`)
      .set('Content-Type', 'text/csv')
      .send(`reference,amount,paidOn,bankReference\n${theirs.id},200.00,2025-12-15,OK\n${theirs.id},200.001,2025-12-15,X\n`);
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('body[2].amount');
    expect((await t.issuer.post(`/v1/payment-batches/${batch.id}/reconcile`).set('Content-Type', 'text/csv').send('ref,amount\nx,1.00\n')).body.field).toBe(
      'body',
    );
    expect((await t.issuer.post(`/v1/payment-batches/${batch.id}/reconcile`, { rows: [] })).status).toBe(415);
    expect(await snapshot(t.db)).toBe(before);

    const rest = await t.issuer
      .post(`/v1/payment-batches/${batch.id}/reconcile`)
      .set('Content-Type', 'text/csv')
      .send(`reference,amount,paidOn,bankReference\n${theirs.id},200.00,2025-12-15,ICBC-B2\n`);
    expect(rest.body).toMatchObject({ matched: [{ reference: theirs.id }], stillPending: [], status: 'paid' });
    const report = await verifyExport();
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.status === 'fail'))).toBe(true);
  });

  it('refuses approval once a claim changed since the batch was made', async () => {
    const setup = await coFunded();
    const r = await redeem(setup, '1000.10');
    const made = await makeBatch(setup.program.id);
    expect((await t.provider.post(`/v1/redemptions/${r.id}/reversals`, { executedAmount: '500.00', reason: '部分退款' })).status).toBe(201);
    const refused = await checker.post(`/v1/payment-batches/${made.body.id}/approve`);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('batch_stale');
  });

  it('refuses approval once the provider’s bank account changed since the batch was made', async () => {
    const setup = await coFunded();
    await redeem(setup, '1000.10');
    const made = await makeBatch(setup.program.id);
    const replaced = await request(t.app)
      .put(`/v1/providers/${PROVIDER}`)
      .set('Authorization', `Bearer ${await mintToken({ role: 'issuer', region: HANGZHOU })}`)
      .send({
        name: '杭州算力服务有限公司',
        bankAccount: { bankName: '中国建设银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '33050161000000000001' },
        services: [{ code: 'GPU-A', name: '智算集群', kind: 'compute', autonomous: false }],
      });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    const refused = await checker.post(`/v1/payment-batches/${made.body.id}/approve`);
    expect(refused.body).toMatchObject({ status: 422, code: 'batch_stale' });
    // A new batch carries the new account.
    expect((await t.issuer.post(`/v1/payment-batches/${made.body.id}/cancel`)).status).toBe(200);
    const again = await makeBatch(setup.program.id);
    expect(again.body.lines[0].bankAccount).toEqual({
      bankName: '中国建设银行杭州分行',
      accountName: '杭州算力服务有限公司',
      accountNumber: '33050161000000000001',
    });
  });
});

describe('a clawback after payment', () => {
  it('becomes a receivable, and a recovery of it is split back to the funders', async () => {
    const setup = await coFunded();
    const r = await redeem(setup, '1000.10');
    const batch = await approvedBatch(setup.program.id);
    expect(
      (await t.issuer.post(`/v1/payment-batches/${batch.id}/lines/${batch.lines[0].id}/paid`, { bankReference: 'P-1', paidOn: '2025-12-15' })).status,
    ).toBe(200);
    // Reversing 500.00 of 1,000.10 claws back 50.00 (10001 − floor(10001 × 500.10 / 1000.10) fen).
    const reversal = await t.provider.post(`/v1/redemptions/${r.id}/reversals`, { executedAmount: '500.00', reason: '服务未交付部分' });
    expect(reversal.status, JSON.stringify(reversal.body)).toBe(201);
    expect(reversal.body.clawback).toBe('50.00');
    const balance = await t.db.selectFrom('account_balances').select('balance_fen').where('account', '=', `payable:${PROVIDER}`).executeTakeFirstOrThrow();
    expect(balance.balance_fen).toBe(-5000n);

    const next = await makeBatch(setup.program.id);
    expect(next.body).toMatchObject({ lines: [], receivables: [{ providerUscc: PROVIDER, amount: '50.00', redemptionIds: [r.id] }] });
    expect((await t.issuer.post(`/v1/payment-batches/${next.body.id}/cancel`)).status).toBe(200);

    const before = await snapshot(t.db);
    const tooMuch = await t.issuer.post(`/v1/providers/${PROVIDER}/recoveries`, {
      programId: setup.program.id,
      amount: '50.01',
      bankReference: 'RET-1',
      receivedOn: '2025-12-15',
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ code: 'exceeds_receivable', field: 'amount' });
    const outsider = await t.as({ role: 'issuer', region: NINGBO });
    expect(
      (
        await outsider.post(`/v1/providers/${PROVIDER}/recoveries`, {
          programId: setup.program.id,
          amount: '1.00',
          bankReference: 'RET-1',
          receivedOn: '2025-12-15',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await t.issuer.post(`/v1/providers/${PROVIDER}/recoveries`, {
          programId: setup.program.id,
          amount: 50,
          bankReference: 'RET-1',
          receivedOn: '2025-12-15',
        })
      ).body.field,
    ).toBe('amount');
    expect(await snapshot(t.db)).toBe(before);

    const partial = await t.issuer.post(`/v1/providers/${PROVIDER}/recoveries`, {
      programId: setup.program.id,
      amount: '20.01',
      bankReference: 'RET-1',
      receivedOn: '2025-12-15',
    });
    expect(partial.status, JSON.stringify(partial.body)).toBe(201);
    // 20.01 × 0.6 = 12.006, × 0.4 = 8.004: the leftover fen goes to the larger remainder, Hangzhou's.
    expect(partial.body).toMatchObject({
      amount: '20.01',
      shares: [
        { region: HANGZHOU, amount: '12.01' },
        { region: ZHEJIANG, amount: '8.00' },
      ],
      redemptions: [{ redemptionId: r.id, amount: '20.01' }],
      owedAfter: '29.99',
    });
    expect((await lastEntry(t.db)).postings).toEqual([
      { account: `disbursed:${HANGZHOU}`, amount: '-12.01' },
      { account: `disbursed:${ZHEJIANG}`, amount: '-8.00' },
      { account: `payable:${PROVIDER}`, amount: '20.01' },
    ]);
    const rest = await t.issuer.post(`/v1/providers/${PROVIDER}/recoveries`, {
      programId: setup.program.id,
      amount: '29.99',
      bankReference: 'RET-2',
      receivedOn: '2025-12-15',
    });
    // 29.99 × 0.6 = 17.994, × 0.4 = 11.996: this time the province has the larger remainder.
    expect(rest.body.shares).toEqual([
      { region: HANGZHOU, amount: '17.99' },
      { region: ZHEJIANG, amount: '12.00' },
    ]);
    expect(rest.status).toBe(201);
    expect(rest.body.owedAfter).toBe('0.00');
    expect(
      (
        await t.issuer.post(`/v1/providers/${PROVIDER}/recoveries`, {
          programId: setup.program.id,
          amount: '0.01',
          bankReference: 'RET-3',
          receivedOn: '2025-12-15',
        })
      ).body.code,
    ).toBe('exceeds_receivable');
    const balances = new Map((await t.db.selectFrom('account_balances').selectAll().execute()).map((b) => [b.account, b.balance_fen]));
    expect([balances.get(`payable:${PROVIDER}`), balances.get(`disbursed:${HANGZHOU}`), balances.get(`disbursed:${ZHEJIANG}`)]).toEqual([
      0n,
      6001n - 1201n - 1799n,
      4000n - 800n - 1200n,
    ]);

    await expectLedgerInvariants(t.db);
    const report = await verifyExport();
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.status === 'fail'))).toBe(true);
  });
});

describe('where each redemption stands, in the list', () => {
  it('paid, in a batch and unpaid, as each redemption says alone, read with two queries for the page whatever its length', async () => {
    const setup = await coFunded();
    await register(OTHER_PROVIDER, '宁波数据服务有限公司');
    const otherProvider = await t.as({ role: 'provider', org: OTHER_PROVIDER });
    const other = await setup.s.contract({}, otherProvider);
    const paid = await redeem(setup, '1000.10');
    const inBatch = await redeem(setup, '2000.00', {}, otherProvider, other.id);
    const batch = await approvedBatch(setup.program.id);
    const mine = batch.lines.find((l: { providerUscc: string }) => l.providerUscc === PROVIDER);
    const statement = `reference,amount,paidOn,bankReference\r\n${mine.id},100.01,2025-12-15,ICBC-A\r\n`;
    expect((await t.issuer.post(`/v1/payment-batches/${batch.id}/reconcile`).set('Content-Type', 'text/csv').send(statement)).status).toBe(200);
    const unpaid = await redeem(setup, '10.00');

    const list = await t.auditor.get('/v1/redemptions?limit=200');
    expect(list.status).toBe(200);
    const listed = new Map((list.body.items as { id: string; settlement: unknown }[]).map((item) => [item.id, item.settlement]));
    expect(listed.get(paid.id)).toEqual({ status: 'paid', batchId: batch.id, paidOn: '2025-12-15', bankReference: 'ICBC-A' });
    expect(listed.get(inBatch.id)).toEqual({ status: 'in_batch', batchId: batch.id, paidOn: null, bankReference: null });
    expect(listed.get(unpaid.id)).toEqual({ status: 'unpaid', batchId: null, paidOn: null, bankReference: null });
    for (const id of [paid.id, inBatch.id, unpaid.id]) expect((await t.auditor.get(`/v1/redemptions/${id}`)).body.settlement).toEqual(listed.get(id));

    // The queries a page costs do not grow with its length (no query per row).
    const queriesFor = async (limit: number) => {
      let queries = 0;
      const counting = t.db.withPlugin({
        transformQuery: (args) => {
          queries += 1;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const page = await listRedemptionViews({ db: counting } as Deps, { limit }, { role: 'auditor', sub: 'a', region: ZHEJIANG });
      return { queries, items: page.items.length };
    };
    const one = await queriesFor(1);
    const all = await queriesFor(200);
    expect([one.items, all.items]).toEqual([1, 3]);
    expect(all.queries).toBe(one.queries);
  });
});

describe('validation and scope', () => {
  it('names the field of a bad request and leaves the database unchanged', async () => {
    const setup = await coFunded();
    await redeem(setup, '1000.10');
    const before = await snapshot(t.db);
    const cases: [Record<string, unknown>, string][] = [
      [{ programId: setup.program.id, cutoff: '2025-02-30' }, 'cutoff'],
      [{ programId: setup.program.id }, 'cutoff'],
      [{ cutoff: '2025-12-15' }, 'programId'],
      [{ programId: setup.program.id, cutoff: '2025-12-15', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await t.issuer.post('/v1/payment-batches', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field).toBe(field);
    }
    expect((await t.issuer.post('/v1/payment-batches', { programId: 'prg_missing', cutoff: '2025-12-15' })).body).toMatchObject({
      code: 'not_found',
      field: 'programId',
    });
    expect((await t.issuer.post('/v1/payment-batches', { programId: setup.program.id, cutoff: '2025-12-16' })).body).toMatchObject({
      status: 422,
      code: 'future_date',
      field: 'cutoff',
    });
    const draft = await makeBatch(setup.program.id);
    const afterDraft = await snapshot(t.db);
    expect((await checker.post(`/v1/payment-batches/${draft.body.id}/approve`, { note: 'x' })).body).toMatchObject({ status: 400, field: 'note' });
    expect(await snapshot(t.db)).toBe(afterDraft);
    expect((await t.issuer.post(`/v1/payment-batches/${draft.body.id}/cancel`)).status).toBe(200);
    const batch = await approvedBatch(setup.program.id);
    const afterApproval = await snapshot(t.db);
    for (const [body, field] of [
      [{ bankReference: 'X', paidOn: '15/12/2025' }, 'paidOn'],
      [{ bankReference: 'with space', paidOn: '2025-12-15' }, 'bankReference'],
      [{ paidOn: '2025-12-15' }, 'bankReference'],
    ] as const) {
      const res = await t.issuer.post(`/v1/payment-batches/${batch.id}/lines/${batch.lines[0].id}/paid`, body);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
    }
    expect((await t.issuer.post(`/v1/payment-batches/${batch.id}/lines/pln_missing/paid`, { bankReference: 'X', paidOn: '2025-12-15' })).status).toBe(404);
    expect((await t.issuer.post(`/v1/payment-batches/${batch.id}/lines/${batch.lines[0].id}/failed`, {})).body.field).toBe('reason');
    expect(await snapshot(t.db)).toBe(afterApproval);
    expect(before).not.toBe(afterApproval);
  });

  it('lets only issuers of the program region act, and issuers and auditors in scope read', async () => {
    const setup = await coFunded();
    await redeem(setup, '1000.10');
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    expect((await makeBatch(setup.program.id, '2025-12-15', ningbo)).status).toBe(403);
    // The province co-funds the program but does not make its batches.
    expect((await makeBatch(setup.program.id, '2025-12-15', province)).status).toBe(403);
    expect((await makeBatch(setup.program.id, '2025-12-15', t.provider)).status).toBe(403);
    const made = await makeBatch(setup.program.id);
    const id = made.body.id as string;
    const ningboChecker = await t.as({ role: 'issuer', region: NINGBO, sub: 'checker-nb' });
    expect((await ningboChecker.post(`/v1/payment-batches/${id}/approve`)).status).toBe(403);
    expect((await t.auditor.get(`/v1/payment-batches/${id}`)).status).toBe(200);
    // The co-funding province reads the batches that spend its share, but neither makes nor approves them.
    expect((await province.get(`/v1/payment-batches/${id}`)).status).toBe(200);
    expect((await province.get('/v1/payment-batches')).body.batches.map((b: { id: string }) => b.id)).toEqual([id]);
    expect((await (await t.as({ role: 'issuer', region: ZHEJIANG, sub: 'province-checker' })).post(`/v1/payment-batches/${id}/approve`)).status).toBe(403);
    expect((await (await t.as({ role: 'auditor', region: NINGBO })).get(`/v1/payment-batches/${id}`)).status).toBe(403);
    expect((await ningbo.get(`/v1/payment-batches/${id}`)).status).toBe(403);
    expect((await t.provider.get(`/v1/payment-batches/${id}`)).status).toBe(403);
    expect((await t.issuer.get('/v1/payment-batches/pbt_missing')).status).toBe(404);

    const list = await t.issuer.get(`/v1/payment-batches?programId=${setup.program.id}`);
    expect(list.body.batches.map((b: { id: string }) => b.id)).toEqual([id]);
    expect((await t.auditor.get('/v1/payment-batches?status=draft')).body.batches).toHaveLength(1);
    expect((await ningbo.get('/v1/payment-batches')).body.batches).toEqual([]);
    expect((await t.issuer.get('/v1/payment-batches?status=open')).body.field).toBe('status');

    const redemptionId = made.body.lines[0].redemptionIds[0] as string;
    expect((await t.auditor.get(`/v1/redemptions/${redemptionId}`)).status).toBe(200);
    expect((await ningbo.get(`/v1/redemptions/${redemptionId}`)).status).toBe(403);
    expect((await (await t.as({ role: 'provider', org: OTHER_PROVIDER })).get(`/v1/redemptions/${redemptionId}`)).status).toBe(403);
    expect((await t.provider.get('/v1/redemptions/rdm_missing')).status).toBe(404);
  });

  it('replays an approval sent again with its Idempotency-Key', async () => {
    const setup = await coFunded();
    await redeem(setup, '1000.10');
    const made = await makeBatch(setup.program.id);
    const first = await checker.post(`/v1/payment-batches/${made.body.id}/approve`, undefined, { 'Idempotency-Key': 'approve-1' });
    const again = await checker.post(`/v1/payment-batches/${made.body.id}/approve`, undefined, { 'Idempotency-Key': 'approve-1' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });
});
