import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { GENESIS_PREV_HASH, hashEntry } from '../../src/ledger/ledger.hash.js';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import { parseSignedYuan } from '../../src/shared/money.js';
import { testEngine } from './test-database.js';

/** The ledger's invariants, checked from the database: balanced entries, an unbroken chain, true balances. */
export async function expectLedgerInvariants(db: Db): Promise<void> {
  const entries = await readEntries(db, {}, 1_000_000);
  let prevHash = GENESIS_PREV_HASH;
  const sums = new Map<string, bigint>();
  entries.forEach((entry, index) => {
    expect(entry.seq).toBe(index + 1);
    expect(entry.prevHash).toBe(prevHash);
    const { hash, ...unhashed } = entry;
    expect(hashEntry(unhashed)).toBe(hash);
    prevHash = hash;
    expect(entry.postings.reduce((sum, p) => sum + parseSignedYuan(p.amount), 0n)).toBe(0n);
    for (const p of entry.postings) sums.set(p.account, (sums.get(p.account) ?? 0n) + parseSignedYuan(p.amount));
  });
  const balances = await db.selectFrom('account_balances').selectAll().execute();
  expect(new Map(balances.map((b) => [b.account, b.balance_fen]))).toEqual(sums);
}

/** Every row of every table, to prove that a rejected request left the database exactly as it was. */
export async function snapshot(db: Db): Promise<string> {
  const tables =
    testEngine === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' order by name`.execute(db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_name not like 'kysely_%' order by table_name`.execute(db);
  const json = (value: unknown) => JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
  const dump: Record<string, string[]> = {};
  // Rows sorted by their content: PostgreSQL returns them in no promised order.
  for (const { name } of tables.rows) dump[name] = (await sql`select * from ${sql.table(name)}`.execute(db)).rows.map(json).sort();
  return JSON.stringify(dump);
}

export async function lastEntry(db: Db) {
  const entries = await readEntries(db, {}, 1_000_000);
  return entries.at(-1)!;
}
