// A consistent online backup of a live SQLite database, taken with SQLite's backup API while servers keep
// writing. Never copy the database file with cp: in WAL mode the newest commits live in the -wal file, and a
// copy of the main file alone silently loses them. PostgreSQL is backed up with pg_dump (docs/operations.md).
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { documentFolderOf } from '../src/documents/document-store.js';
import BetterSqlite3 from 'better-sqlite3';
import { command, databaseUrlSetting, existingDatabase, isPostgresUrl, outputFile, runCli, UsageError } from './cli.js';

const program = command(
  'backup',
  'Back up a live SQLite database to a file, consistently, while servers keep writing (SQLite’s backup API; never cp). For PostgreSQL use pg_dump.',
)
  .requiredOption('--out <file>', 'the backup file to write (its folder must exist)')
  .option('--db <path>', 'the SQLite database (default: DATABASE_URL)')
  .option('--force', 'overwrite --out if it exists')
  .addHelpText(
    'after',
    '\nExample:\n  npm run backup -- --out backups/voucher-ledger-$(date +%F).db && npm run verify -- --db backups/voucher-ledger-$(date +%F).db',
  )
  .parse();
const options = program.opts<{ out: string; db?: string; force?: boolean }>();

/**
 * Copies the documents' folder file by file, skipping those already in the target: a document's name is the
 * SHA-256 of its bytes, so a file present is the same file. Undefined when there is no documents' folder.
 */
function copyDocuments(from: string, to: string): { copied: number; total: number } | undefined {
  if (!existsSync(from)) return undefined;
  let copied = 0;
  let total = 0;
  for (const shard of readdirSync(from, { withFileTypes: true })) {
    if (!shard.isDirectory()) continue;
    mkdirSync(join(to, shard.name), { recursive: true });
    for (const file of readdirSync(join(from, shard.name))) {
      if (!/^[0-9a-f]{64}$/.test(file)) continue; // a temporary file of an upload in progress
      total++;
      const target = join(to, shard.name, file);
      if (existsSync(target)) continue;
      copyFileSync(join(from, shard.name, file), `${target}.partial`);
      renameSync(`${target}.partial`, target);
      copied++;
    }
  }
  return { copied, total };
}

interface Head {
  seq: number;
  hash: string;
  entries: number;
}

function headOf(file: string): Head {
  const copy = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = copy.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`the backup ${file} fails SQLite's integrity check: ${String(integrity)}`);
    const head = copy.prepare('select seq, hash from ledger_head').get() as { seq: number; hash: string } | undefined;
    const entries = copy.prepare('select count(*) from ledger_entries').pluck().get() as number;
    return { seq: head?.seq ?? 0, hash: head?.hash ?? '', entries };
  } finally {
    copy.close();
  }
}

await runCli('backup', async () => {
  const url = options.db ?? databaseUrlSetting();
  if (isPostgresUrl(url))
    throw new UsageError(
      'backup copies a SQLite database; for PostgreSQL use pg_dump (pg_dump --format=custom --file=FILE URL), see docs/operations.md, "Backup and restore"',
    );
  const source = existingDatabase(url);
  const out = outputFile(options.out, { overwrite: options.force ?? false });
  if (resolve(out) === resolve(source)) throw new UsageError('--out is the database itself');

  // Written beside the target and renamed once complete and checked: a backup cut short never looks complete.
  const partial = `${out}.partial`;
  rmSync(partial, { force: true });
  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    // Every page in one step, in one read transaction: the copy is the database as of one commit. (In steps,
    // SQLite restarts the copy whenever another connection writes, and a busy server would starve it.)
    await db.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  try {
    // The copy inherits WAL mode: turned into one self-contained file, so that opening it leaves no -wal and
    // -shm beside it and the file alone is the backup.
    const copy = new BetterSqlite3(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const head = headOf(partial);
    renameSync(partial, out);
    console.log(`backed up ${head.entries} ledger entries (head seq ${head.seq}, hash ${head.hash.slice(0, 16)}…) to ${out}; integrity ok`);
    // After the database: every document it names was stored before its row committed (decision 0039).
    const documents = copyDocuments(documentFolderOf({ DOCUMENT_DIR: process.env['DOCUMENT_DIR'], DATABASE_URL: source }), `${out}-documents`);
    if (documents) console.log(`copied ${documents.copied} new of ${documents.total} documents to ${out}-documents`);
  } finally {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(leftover, { force: true });
  }
});
