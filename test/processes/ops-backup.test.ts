// `npm run backup` while a server keeps writing: the copy verifies, and holds every committed entry up to its head,
// each byte for byte as in the live database. PostgreSQL is refused with a pointer to pg_dump.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { HANGZHOU } from '../helpers/fixtures.js';
import { serviceEnvironment } from '../helpers/processes.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, mintToken } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-database.js';
import { ensureBuilt, launch, repo, startListening, workFolder } from './ops-support.js';

beforeAll(() => ensureBuilt(), 180_000);

type Row = { seq: number; hash: string; prev_hash: string };
const entriesOf = (file: string): Row[] => {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare('select seq, hash, prev_hash from ledger_entries order by seq').all() as Row[];
  } finally {
    db.close();
  }
};

describe.skipIf(testEngine !== 'sqlite')('npm run backup of a live SQLite database', () => {
  it('taken while a server writes, verifies OK and holds every entry committed before it started, up to its head', async () => {
    const { dir, keyPath } = workFolder('vl-ops-backup-');
    const live = join(dir, 'ledger.db');
    const env = serviceEnvironment(live, keyPath);
    const server = await startListening(process.execPath, ['scripts/launch.mjs', 'src/server.js'], { cwd: repo, env });
    const token = await mintToken({ role: 'issuer', region: HANGZHOU });
    const post = (name: string) =>
      fetch(`${server.url}/v1/programs`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, kind: 'compute', budget: '1000.00' }),
      });

    // Four writers keep writing until told to stop; each acknowledged program is a committed ledger entry.
    const acknowledged: string[] = [];
    let writing = true;
    let failure: string | undefined;
    const writer = async (w: number) => {
      for (let i = 0; writing && !failure; i++) {
        const res = await post(`writer ${w} program ${i}`);
        if (res.status !== 201) failure = `${res.status} ${await res.text()}`;
        else acknowledged.push(((await res.json()) as { id: string }).id);
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    try {
      while (acknowledged.length < 40 && !failure) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(failure).toBeUndefined();
      const before = acknowledged.length;
      const out = join(dir, 'backup.db');
      const backup = await launch('scripts/backup.js', ['--out', out], { env });
      const during = acknowledged.length;
      expect(backup.code, backup.stderr).toBe(0);
      expect(during).toBeGreaterThan(before); // the server kept committing while the backup ran
      // One self-contained file: nothing left beside it, neither the partial copy nor WAL sidecars.
      expect(readdirSync(dir).filter((name) => name.startsWith('backup.db'))).toEqual(['backup.db']);
      writing = false;
      await Promise.all(writers);
      expect(failure).toBeUndefined();

      const copy = entriesOf(out);
      const head = copy.at(-1)!.seq;
      expect(backup.stdout).toMatch(
        new RegExp(`^backed up ${head} ledger entries \\(head seq ${head}, hash [0-9a-f]{16}…\\) to .*backup\\.db; integrity ok\\n$`),
      );
      // every entry from 1 to its head, identical to the live database's
      expect(copy.map((row) => row.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      expect(copy).toEqual(entriesOf(live).slice(0, head));
      expect(head).toBeGreaterThanOrEqual(before);
      const programs = new BetterSqlite3(out, { readonly: true }).prepare('select id from programs').pluck().all() as string[];
      for (const id of acknowledged.slice(0, before)) expect(programs).toContain(id);

      const verified = await launch('scripts/verify.js', ['--db', out], { env });
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toContain('OK: every check holds');
    } finally {
      writing = false;
      await Promise.allSettled(writers);
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 90_000);
});

describe.skipIf(testEngine !== 'sqlite')('npm run backup and the documents beside the database', () => {
  it('copies the documents folder after the database, each file once, and adds only new files on the next run', async () => {
    const { dir, keyPath } = workFolder('vl-ops-backup-documents-');
    const live = join(dir, 'ledger.db');
    const t = await buildTestApp({ sqlitePath: live });
    await t.close();
    const sha = (n: number) => String(n).repeat(64).slice(0, 64);
    const store = (n: number) => {
      mkdirSync(join(dir, 'documents', sha(n).slice(0, 2)), { recursive: true });
      writeFileSync(join(dir, 'documents', sha(n).slice(0, 2), sha(n)), `document ${n}`);
    };
    store(1);
    store(2);
    // An upload in progress leaves a temporary file: not a document, not copied.
    writeFileSync(join(dir, 'documents', '11', `.${sha(1)}.abc.tmp`), 'partial');
    const env = serviceEnvironment(live, keyPath);
    const out = join(dir, 'backup.db');
    const first = await launch('scripts/backup.js', ['--out', out], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/\ncopied 2 new of 2 documents to .*backup\.db-documents\n$/);
    expect(readFileSync(join(`${out}-documents`, '22', sha(2)), 'utf8')).toBe('document 2');
    expect(readdirSync(join(`${out}-documents`, '11'))).toEqual([sha(1)]);
    store(3);
    const second = await launch('scripts/backup.js', ['--out', join(dir, 'backup.db'), '--force'], { env });
    expect(second.stdout).toMatch(/\ncopied 1 new of 3 documents to /);
  }, 60_000);
});

describe('npm run backup, misused', () => {
  it.skipIf(testEngine !== 'sqlite')(
    'refuses PostgreSQL (pointing to pg_dump), a missing database and an existing target, with exit 2 and one line',
    async () => {
      const { dir } = workFolder('vl-ops-backup-misuse-');
      const cases: [string[], RegExp][] = [
        [
          ['--db', 'postgres://ledger:hunter2@db.example/ledger', '--out', join(dir, 'b.db')],
          /^npm run backup: backup copies a SQLite database; for PostgreSQL use pg_dump/,
        ],
        [['--db', join(dir, 'missing.db'), '--out', join(dir, 'b.db')], /^npm run backup: no database at .*missing\.db/],
        [['--db', join(dir, 'key.pem'), '--out', join(dir, 'key.pem')], /^npm run backup: .*key\.pem already exists \(remove it first, or pass --force\)/],
        [['--out', join(dir, 'no-folder', 'b.db'), '--db', join(dir, 'key.pem')], /^npm run backup: cannot write .*: the folder .*no-folder does not exist/],
        [[], /^npm run backup: required option '--out <file>' not specified \(see npm run backup -- --help\)/],
      ];
      for (const [args, expected] of cases) {
        const result = await launch('scripts/backup.js', args);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(expected);
        expect(result.stderr).not.toMatch(/hunter2|\n\s+at /);
      }
    },
    60_000,
  );
});

describe.skipIf(testEngine !== 'postgres')('PostgreSQL backup and restore with pg_dump and pg_restore (docs/operations.md)', () => {
  it('restores a database the verifier accepts, holding every entry', async () => {
    const t = await buildTestApp();
    const { dir } = workFolder('vl-ops-pgdump-');
    const restoredName = `vl_restore_${Date.now()}`;
    const runUrl = inject('postgresUrl');
    const admin = new pg.Client({ connectionString: runUrl });
    await admin.connect();
    try {
      const s = scenario(t);
      const program = await s.program();
      await s.voucher(program.id);
      const entries = (await t.auditor.get('/v1/ledger?limit=1000')).body.entries as { hash: string }[];
      // the tests' databases are schemas of the run's database: dump that schema, as docs/operations.md dumps a database
      const schema = /search_path=(\w+)/.exec(decodeURIComponent(t.databaseUrl))![1]!;
      const dump = join(dir, 'voucher-ledger.dump');
      const pgDump = spawnSync('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${dump}`, runUrl], { encoding: 'utf8' });
      expect(pgDump.status, pgDump.stderr).toBe(0);
      await admin.query(`CREATE DATABASE ${restoredName}`);
      const restoredUrl = new URL(runUrl);
      restoredUrl.pathname = `/${restoredName}`;
      const pgRestore = spawnSync('pg_restore', ['--no-owner', `--dbname=${restoredUrl}`, dump], { encoding: 'utf8' });
      expect(pgRestore.status, pgRestore.stderr).toBe(0);

      restoredUrl.searchParams.set('options', `-c search_path=${schema}`);
      const verified = await launch('scripts/verify.js', ['--db', restoredUrl.toString(), '--json']);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      const report = JSON.parse(verified.stdout) as { entries: number; checks: { name: string; status: string }[] };
      expect(report.entries).toBe(entries.length);
      expect(report.checks.find((check) => check.name === 'triggers')?.status).toBe('pass');
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
      await admin.end();
      await t.close();
    }
  }, 90_000);
});
