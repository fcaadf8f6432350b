// Claims racing for the last 100.00 of a voucher (decision 0041), sent at once through two real server processes
// on one database: the voucher's money is reserved once, whichever process and transaction won, and the verifier
// accepts the database afterwards.
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, type Db, migrateToLatest } from '../../src/db/database.js';
import { runVerification } from '../../src/verifier/run.js';
import { minimalPdf } from '../helpers/documents.js';
import { uscc } from '../helpers/fixtures.js';
import { expectLedgerInvariants } from '../helpers/ledger-checks.js';
import { serviceEnvironment, startServer, stopChild } from '../helpers/processes.js';
import { mintToken, TEST_SECRET } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase, testEngine } from '../helpers/test-database.js';

const PROVIDER = uscc(1);
const ENTERPRISE = uscc(101);
const CLAIMS = 8;

const dir = mkdtempSync(join(tmpdir(), 'vl-claims-race-'));
const children: ChildProcess[] = [];
let target: TestDatabase | undefined;
let db: Db | undefined;
afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await db?.destroy();
  await target?.drop();
});

describe(`claims sent at once through two processes on one ${testEngine} database`, () => {
  it('reserve the last 100.00 of a voucher once, and the verifier accepts the database', async () => {
    target = await createTestDatabase(join(dir, 'ledger.db'));
    db = createDatabase(target.url);
    await migrateToLatest(db);
    const keyPath = join(dir, 'signing.pem');
    writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const env = { ...serviceEnvironment(target.url, keyPath), DOCUMENT_DIR: join(dir, 'documents') };
    const started = await Promise.all([startServer(env), startServer(env)]);
    children.push(...started.map((server) => server.child));
    const [first, second] = started.map((server) => server.url) as [string, string];

    const issuer = await mintToken({ role: 'issuer', region: '330100' }, TEST_SECRET, '1h');
    const provider = await mintToken({ role: 'provider', org: PROVIDER }, TEST_SECRET, '1h');
    const send = async (server: string, token: string, path: string, body: unknown, contentType = 'application/json') => {
      const res = await fetch(`${server}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        body: body instanceof Buffer ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const created = async (server: string, token: string, path: string, body: unknown, contentType?: string) => {
      const res = await send(server, token, path, body, contentType);
      expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
      return res.body;
    };

    const program = await created(first, issuer, '/v1/programs', {
      name: '并发核销',
      kind: 'compute',
      budget: '1000000.00',
      limits: { 'compute.autonomous': { rate: '0.30' } },
      claims: { beneficiaryConfirmation: true, review: true },
    });
    const voucher = await created(first, issuer, '/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '受益企业' },
      amount: '100.00',
      expiresOn: '2027-12-31',
    });
    const contract = await created(second, provider, '/v1/contracts', {
      number: 'HT-RACE',
      beneficiaryUscc: ENTERPRISE,
      kind: 'compute',
      autonomous: true,
      amount: '1000000.00',
      signedOn: '2026-01-10',
    });
    const documents = [
      (await created(first, provider, '/v1/documents?name=contract.pdf', minimalPdf('contract'), 'application/pdf')).sha256,
      (await created(second, provider, '/v1/documents?name=invoice.pdf', minimalPdf('invoice'), 'application/pdf')).sha256,
    ];
    const executedOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

    // Each claim of 1,000.00 at 30% would reserve 300.00: all at once, through either server.
    const claims = await Promise.all(
      Array.from({ length: CLAIMS }, (_, i) =>
        send(i % 2 === 0 ? first : second, provider, '/v1/redemptions', {
          voucherId: voucher.id,
          contractId: contract.id,
          executedAmount: '1000.00',
          executedOn,
          invoiceNumber: `FP-RACE-${i}`,
          documents,
        }),
      ),
    );
    expect(claims.map((res) => res.status)).toEqual(Array(CLAIMS).fill(201));
    const reserved = claims.map((res) => res.body['subsidy'] as string).sort();
    expect(reserved).toEqual([...Array(CLAIMS - 1).fill('0.00'), '100.00']);
    const balance = await db.selectFrom('account_balances').select('balance_fen').where('account', '=', `voucher:${voucher.id}`).executeTakeFirstOrThrow();
    expect(balance.balance_fen).toBe(0n);
    const held = await db.selectFrom('account_balances').select(['account', 'balance_fen']).where('account', 'like', 'reserved:%').execute();
    expect(held.reduce((sum, row) => sum + row.balance_fen, 0n)).toBe(10_000n);

    await expectLedgerInvariants(db);
    const report = await runVerification({ db: target.url });
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.status === 'fail'))).toBe(true);
  }, 180_000);
});
