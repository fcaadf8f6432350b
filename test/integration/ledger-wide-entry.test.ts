// An entry may carry thousands of postings: a program's close posts once per active voucher (decision 0042). One
// INSERT may bind at most 32,766 values on SQLite, so the writer inserts them in slices; the entry stays whole.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountBalance } from '../../src/ledger/ledger.repository.js';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import { createLedger } from '../../src/deps.js';
import type { EntryData } from '../../src/ledger/ledger.types.js';
import { expectLedgerInvariants } from '../helpers/ledger-checks.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

it('appends an entry of 9,000 postings whole, with every balance moved', async () => {
  const accounts = Array.from({ length: 8_999 }, (_, i) => `program:wide_${String(i).padStart(4, '0')}`);
  const ledger = createLedger();
  await t.db.transaction().execute((trx) =>
    ledger.append(
      trx,
      {
        type: 'program.budget_changed',
        actor: { sub: 'wide', role: 'issuer', region: '330100' },
        data: { region: '330100', programId: 'prg_wide', kind: 'compute' } as EntryData,
        postings: [{ account: 'appropriation:330100', amount: -8_999n }, ...accounts.map((account) => ({ account, amount: 1n }))],
      },
      new Date('2025-12-15T04:00:00Z'),
    ),
  );
  const [entry] = await readEntries(t.db, { type: 'program.budget_changed', programId: 'prg_wide' }, 1);
  expect(entry!.postings).toHaveLength(9_000);
  expect(entry!.postings[8_999]).toEqual({ account: 'program:wide_8998', amount: '0.01' });
  expect(await accountBalance(t.db, 'appropriation:330100')).toBe(-8_999n);
  expect(await accountBalance(t.db, 'program:wide_4500')).toBe(1n);
  await expectLedgerInvariants(t.db);
});
