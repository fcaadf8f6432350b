import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync } from 'node:fs';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, PROVIDER } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, type LedgerPage, startJourney, todayInShanghai } from './browser.js';

const sha256 = (...parts: Buffer[]) => parts.reduce((hash, part) => hash.update(part), createHash('sha256')).digest();

/** RFC 9162 §2.1.1: the Merkle tree hash of the entries' hashes (leaf i is the entry with seq i + 1), computed here. */
function merkleRoot(hashes: Buffer[]): Buffer {
  if (hashes.length === 0) return sha256();
  if (hashes.length === 1) return sha256(Buffer.from([0]), hashes[0]!);
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return sha256(Buffer.from([1]), merkleRoot(hashes.slice(0, k)), merkleRoot(hashes.slice(k)));
}

describe.skipIf(!existsSync(CHROMIUM))('console: the audit page (checkpoint and program summary)', () => {
  let journey: Journey;
  let auditor: string;
  let programId: string;
  beforeAll(async () => {
    journey = await startJourney();
    auditor = await mintToken({ sub: 'audit-zj', role: 'auditor', region: '330000' });
    const issuer = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    const checker = await mintToken({ sub: 'hz-officer-b', role: 'issuer', region: HANGZHOU });
    const provider = await mintToken({ sub: 'provider-ops', role: 'provider', org: PROVIDER });
    programId = (await journey.post<{ id: string }>(issuer, '/v1/programs', { name: '杭州算力券 审计', kind: 'compute', budget: '1000.00' })).id;
    await journey.post(issuer, '/v1/providers', {
      uscc: PROVIDER,
      name: '杭州云算力有限公司',
      bankAccount: { bankName: '杭州银行', accountName: '杭州云算力有限公司', accountNumber: '3301040160000123456' },
      services: [{ code: 'GPU-A', name: 'GPU 算力', kind: 'compute', autonomous: false }],
    });
    const voucher = await journey.post<{ id: string }>(issuer, '/v1/vouchers', {
      programId,
      beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
      amount: '300.00',
      expiresOn: '2027-12-31',
    });
    const contract = await journey.post<{ id: string }>(provider, '/v1/contracts', {
      number: 'HT-2026-301',
      beneficiaryUscc: ENTERPRISE,
      kind: 'compute',
      autonomous: false,
      amount: '10000.00',
      signedOn: '2026-01-05',
    });
    const redeem = (executedAmount: string, invoiceNumber: string) =>
      journey.post<{ subsidy: string }>(provider, '/v1/redemptions', {
        voucherId: voucher.id,
        contractId: contract.id,
        executedAmount,
        executedOn: todayInShanghai(),
        invoiceNumber,
      });
    // Non-autonomous compute: 10% of the executed amount. The first redemption is paid in a batch, the second is not.
    await expect(redeem('200.00', 'INV-301')).resolves.toMatchObject({ subsidy: '20.00' });
    const batch = await journey.post<{ id: string; lines: { id: string }[] }>(issuer, '/v1/payment-batches', { programId, cutoff: todayInShanghai() });
    await journey.post(checker, `/v1/payment-batches/${batch.id}/approve`);
    await journey.post(issuer, `/v1/payment-batches/${batch.id}/lines/${batch.lines[0]!.id}/paid`, {
      bankReference: 'HZB-20261130-0301',
      paidOn: todayInShanghai(),
    });
    await expect(redeem('100.00', 'INV-302')).resolves.toMatchObject({ subsidy: '10.00' });
  });
  afterAll(async () => journey?.close());

  it('issues the checkpoint: the head shown is the ledger head, the JWS verifies against the JWKS and the signed note is shown', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, { sub: 'audit-zj', role: 'auditor', region: '330000' }, 'audit');
    await page.getByRole('button', { name: '签发并读取检查点' }).click();
    await page.getByTestId('checkpoint-note').waitFor();

    const shown = {
      ledgerId: (await page.getByTestId('checkpoint-ledger-id').innerText()).trim(),
      seq: Number(await page.getByTestId('checkpoint-seq').innerText()),
      hash: (await page.getByTestId('checkpoint-hash').textContent())!.trim(),
      treeSize: Number(await page.getByTestId('checkpoint-tree-size').innerText()),
      rootHash: (await page.getByTestId('checkpoint-root-hash').textContent())!.trim(),
      note: (await page.getByTestId('checkpoint-note').textContent())!,
      jws: (await page.getByTestId('checkpoint-jws').textContent())!.trim(),
    };
    // Labelled in words, and the note and hashes copyable.
    for (const label of ['序号（账本头部）', '头部哈希', '默克尔树大小（条目数）', '默克尔树根哈希', '签名便笺（C2SP 检查点）', 'JWS 签名'])
      await expect(page.getByText(label, { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: '复制' }).count()).resolves.toBeGreaterThanOrEqual(4);

    // The ledger head, read through the API: the seq and hash shown are its last entry's.
    const entries = (await journey.api<LedgerPage>(auditor, '/v1/ledger?limit=1000')).entries;
    const head = entries.at(-1)!;
    expect(entries.map((entry) => entry.type)).toEqual([
      'program.funded',
      'voucher.issued',
      'redemption.recorded',
      'payment.approved',
      'payment.disbursed',
      'redemption.recorded',
    ]);
    expect(shown.seq).toBe(head.seq);
    expect(shown.hash).toBe(head.hash);
    // The tree holds every entry, and its root is the RFC 9162 root of their hashes.
    expect(shown.treeSize).toBe(entries.length);
    expect(shown.rootHash).toBe(merkleRoot(entries.map((entry) => Buffer.from(entry.hash, 'hex'))).toString('hex'));

    // The JWS verifies against the published key and signs exactly what is shown.
    const jwks = (await (await fetch(`${journey.server.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await compactVerify(shown.jws, createLocalJWKSet(jwks));
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'voucher-ledger-checkpoint+jws' });
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
      ledgerId: shown.ledgerId,
      seq: shown.seq,
      hash: shown.hash,
      treeSize: shown.treeSize,
      rootHash: shown.rootHash,
    });

    // The C2SP signed note: origin, tree size and base64 root, a blank line, the log's Ed25519 signature over the text.
    const [text, signatures] = shown.note.split('\n\n') as [string, string];
    const origin = `voucher-ledger/${shown.ledgerId}`;
    expect(text).toBe(`${origin}\n${shown.treeSize}\n${Buffer.from(shown.rootHash, 'hex').toString('base64')}`);
    const match = /^\u2014 (\S+) (\S+)$/u.exec(signatures.split('\n')[0]!);
    expect(match?.[1]).toBe(origin);
    const blob = Buffer.from(match![2]!, 'base64');
    const jwk = jwks.keys[0] as { kty: string; crv: string; x: string };
    const publicKey = Buffer.from(jwk.x, 'base64url');
    expect(blob.subarray(0, 4)).toEqual(sha256(Buffer.from(`${origin}\n`), Buffer.from([0x01]), publicKey).subarray(0, 4));
    expect(verify(null, Buffer.from(`${text}\n`), createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' }), blob.subarray(4))).toBe(
      true,
    );
    // And it is the checkpoint the API publishes for this head.
    const published = await journey.api<{ jws: string; note: string }>(auditor, '/v1/ledger/checkpoint');
    expect(published.note).toBe(shown.note);
    expect(published.jws).toBe(shown.jws);

    await journey.screenshot(page, 'audit-checkpoint-journey');
    expect(journey.pageErrors).toEqual([]);
  });

  it("summarises a program from the server's balances: where its money is, and its entries by type", async () => {
    const page = await journey.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    await journey.signIn(page, { sub: 'audit-zj', role: 'auditor', region: '330000' }, 'audit');
    await page.getByLabel('项目编号').fill(programId);
    await page.getByRole('button', { name: '汇总' }).click();
    const summary = page.getByTestId('program-summary');
    await summary.waitFor();

    // Budget 1,000.00; a voucher of 300.00; redemptions of 200.00 and 100.00 give 20.00 and 10.00 (10%), the
    // first paid: 700.00 not on any voucher, 300.00 − 30.00 = 270.00 on it, nothing reserved (no claims), 10.00 owed, 20.00 paid.
    const worked = { funded: '¥1,000.00', available: '¥700.00', onVouchers: '¥270.00', reserved: '¥0.00', owedToProviders: '¥10.00', paid: '¥20.00' };
    for (const [key, shown] of Object.entries(worked)) await expect(page.getByTestId(`balance-${key}`).innerText()).resolves.toBe(shown);
    await expect(summary.getByText('已到位资金', { exact: true }).count()).resolves.toBeGreaterThan(0);
    await expect(summary.getByText('应付服务商（未支付）', { exact: true }).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByTestId('balance-check').innerText()).resolves.toContain('核对相符');
    await expect(summary.innerText()).resolves.toContain('共 6 条账本条目');

    // Entries by type, named in Chinese with the type code beside.
    const counts = page.getByTestId('entry-counts');
    const countOf = async (name: string) => (await counts.getByRole('row').filter({ hasText: name }).innerText()).split(/\s+/).filter(Boolean);
    await expect(countOf('redemption.recorded')).resolves.toEqual(['核销', 'redemption.recorded', '2']);
    await expect(countOf('voucher.issued')).resolves.toEqual(['发放补贴券', 'voucher.issued', '1']);
    await expect(countOf('program.funded')).resolves.toEqual(['项目拨款', 'program.funded', '1']);
    await expect(countOf('payment.approved')).resolves.toEqual(['支付批次审批', 'payment.approved', '1']);
    await expect(countOf('payment.disbursed')).resolves.toEqual(['向服务商支付', 'payment.disbursed', '1']);
    // In the order money moves through the program.
    await expect(counts.locator('tbody tr.ant-table-row td:nth-child(2)').allInnerTexts()).resolves.toEqual([
      'program.funded',
      'voucher.issued',
      'redemption.recorded',
      'payment.approved',
      'payment.disbursed',
    ]);

    // What the API holds is what is shown; the page read it from the balances endpoint, not the whole export.
    const balances = await journey.api<{
      throughSeq: number;
      current: Record<string, string>;
      entryCounts: { type: string; count: number }[];
      daily: Record<string, string>[];
    }>(auditor, `/v1/programs/${programId}/balances`);
    expect(balances.current).toEqual({
      funded: '1000.00',
      available: '700.00',
      onVouchers: '270.00',
      reserved: '0.00',
      owedToProviders: '10.00',
      paid: '20.00',
    });
    const entries = (await journey.api<{ entries: { seq: number; recordedAt: string }[] }>(auditor, '/v1/ledger?limit=1000')).entries;
    expect(balances.throughSeq).toBe(entries.at(-1)!.seq);
    expect(balances.daily.at(-1)).toEqual({
      date: new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(entries.at(-1)!.recordedAt)),
      ...balances.current,
    });
    await expect(
      page
        .getByTestId('daily-balances')
        .getByRole('row')
        .filter({ hasText: balances.daily.at(-1)!['date']! })
        .innerText(),
    ).resolves.toMatch(/¥1,000\.00[\s\S]*¥700\.00[\s\S]*¥270\.00[\s\S]*¥0\.00[\s\S]*¥10\.00[\s\S]*¥20\.00/);
    expect(requests).toContain(`/v1/programs/${programId}/balances`);
    expect(requests.filter((path) => path.startsWith('/v1/ledger'))).toEqual([]);

    await journey.screenshot(page, 'audit-summary-journey');
    expect(journey.pageErrors).toEqual([]);
  });
});
