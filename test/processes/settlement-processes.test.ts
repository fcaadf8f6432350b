// Two real server processes on one database create payment batches for the same program at the same moment:
// every claim lands in exactly one batch, whichever process and transaction won, and the verifier accepts the
// database afterwards.
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, type Db, migrateToLatest } from '../../src/db/database.js';
import { runVerification } from '../../src/verifier/run.js';
import { uscc } from '../helpers/fixtures.js';
import { expectLedgerInvariants } from '../helpers/ledger-checks.js';
import { serviceEnvironment, startServer, stopChild } from '../helpers/processes.js';
import { mintToken, TEST_SECRET } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase, testEngine } from '../helpers/test-database.js';

const PROVIDERS = [1, 2, 3].map((n) => uscc(n));
const ENTERPRISE = uscc(101);
const ATTEMPTS = 16;

const dir = mkdtempSync(join(tmpdir(), 'vl-settlement-processes-'));
const children: ChildProcess[] = [];
let target: TestDatabase | undefined;
let db: Db | undefined;
afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await db?.destroy();
  await target?.drop();
});

describe(`payment batches made at once by two processes on one ${testEngine} database`, () => {
  it('put every claim in exactly one batch, and the verifier accepts the database', async () => {
    target = await createTestDatabase(join(dir, 'ledger.db'));
    db = createDatabase(target.url);
    await migrateToLatest(db);
    const keyPath = join(dir, 'signing.pem');
    writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const env = serviceEnvironment(target.url, keyPath);
    const started = await Promise.all([startServer(env), startServer(env)]);
    children.push(...started.map((server) => server.child));
    const [first, second] = started.map((server) => server.url) as [string, string];

    const issuer = await mintToken({ role: 'issuer', region: '330100' }, TEST_SECRET, '1h');
    const post = async (server: string, token: string, path: string, body: unknown) => {
      const res = await fetch(`${server}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const created = async (server: string, token: string, path: string, body: unknown) => {
      const res = await post(server, token, path, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };

    const program = await created(first, issuer, '/v1/programs', { name: '并发结算', kind: 'compute', budget: '1000000.00' });
    const voucher = await created(first, issuer, '/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '受益企业' },
      amount: '100000.00',
      expiresOn: '2027-12-31',
    });
    const redemptionIds: string[] = [];
    for (const [i, provider] of PROVIDERS.entries()) {
      await created(first, issuer, '/v1/providers', {
        uscc: provider,
        name: `算力服务商${i}`,
        bankAccount: { bankName: '中国银行', accountName: `算力服务商${i}`, accountNumber: `62170000000000${i}` },
        services: [{ code: 'GPU', name: '算力', kind: 'compute', autonomous: false }],
      });
      const token = await mintToken({ role: 'provider', org: provider }, TEST_SECRET, '1h');
      const contract = await created(second, token, '/v1/contracts', {
        number: `HT-${i}`,
        beneficiaryUscc: ENTERPRISE,
        kind: 'compute',
        autonomous: false,
        amount: '1000000.00',
        signedOn: '2025-06-01',
      });
      for (const n of [1, 2]) {
        const redemption = await created(second, token, '/v1/redemptions', {
          voucherId: voucher.id,
          contractId: contract.id,
          executedAmount: `${1000 * n + i}.10`,
          executedOn: '2025-12-01',
          invoiceNumber: `INV-${i}-${n}`,
        });
        redemptionIds.push(redemption.id as string);
      }
    }

    // Each attempt through either server, all at once.
    const made = await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        post(i % 2 === 0 ? first : second, issuer, '/v1/payment-batches', { programId: program.id, cutoff: '2025-12-31' }),
      ),
    );
    expect(made.map((res) => res.status)).toEqual(Array(ATTEMPTS).fill(201));
    const claimed = made.flatMap((res) => (res.body['lines'] as { redemptionIds: string[] }[]).flatMap((line) => line.redemptionIds));
    expect(claimed.sort()).toEqual([...redemptionIds].sort());
    const open = await db.selectFrom('payment_claims').select(['redemption_id']).where('status', '=', 'open').execute();
    expect(open.map((row) => row.redemption_id).sort()).toEqual([...redemptionIds].sort());

    // The batch that holds the claims is approved and paid through the other server.
    const winner = made.find((res) => (res.body['lines'] as unknown[]).length > 0)!.body;
    const checker = await mintToken({ role: 'issuer', region: '330100', sub: 'checker' }, TEST_SECRET, '1h');
    expect((await post(second, checker, `/v1/payment-batches/${winner.id}/approve`, {})).status).toBe(200);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const payments = await Promise.all(
      (winner['lines'] as { id: string }[]).map((line, i) =>
        post(i % 2 === 0 ? first : second, issuer, `/v1/payment-batches/${winner.id}/lines/${line.id}/paid`, { bankReference: `BANK-${i}`, paidOn: today }),
      ),
    );
    expect(payments.map((res) => res.status)).toEqual(payments.map(() => 200));

    await expectLedgerInvariants(db);
    const report = await runVerification({ db: target.url });
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.status === 'fail'))).toBe(true);
  }, 180_000);
});
