// An operator starting the server on a database whose ledger head is not the last entry (someone with DDL rights
// lifted the guard and moved it): one line naming both seqs and what to run, exit 1, and no chain continued.
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript, serviceEnvironment } from '../helpers/processes.js';
import { scenario } from '../helpers/scenario.js';
import { dropHeadGuard } from '../helpers/tamper.js';
import { buildTestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-database.js';
import { workFolder } from './ops-support.js';

// About the process, not the engine: once, in the SQLite project (the check itself runs on both, in ledger-head-guard).
describe.skipIf(testEngine !== 'sqlite')('starting the server on a tampered ledger head', () => {
  it('refuses with one line and exit 1, and leaves the database as it found it', async () => {
    const { dir, keyPath } = workFolder('vl-ops-head-');
    const path = join(dir, 'ledger.db');
    const t = await buildTestApp({ sqlitePath: path });
    const program = await scenario(t).program();
    await scenario(t).voucher(program.id);
    await t.close();

    const raw = new BetterSqlite3(path);
    const last = raw.prepare('SELECT max(seq) AS seq FROM ledger_entries').get() as { seq: number };
    for (const statement of dropHeadGuard('sqlite')) raw.exec(statement);
    raw.exec('UPDATE ledger_head SET seq = seq - 1, hash = (SELECT e.hash FROM ledger_entries e WHERE e.seq = ledger_head.seq - 1)');
    raw.close();

    const result = await runScript(['src/server.ts'], serviceEnvironment(path, keyPath));
    expect(result.code, result.output).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `voucher-ledger cannot start: the ledger head (seq ${last.seq - 1}) is not the last entry (seq ${last.seq}); run npm run verify -- --db ${path}`,
    ]);
    expect(result.output).not.toContain('listening');

    const after = new BetterSqlite3(path, { readonly: true });
    expect(after.prepare('SELECT max(seq) AS seq FROM ledger_entries').get()).toEqual({ seq: last.seq });
    after.close();
  });
});
