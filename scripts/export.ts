// Exports the ledger straight from the database, without a running server (the filters of GET /v1/ledger/export).
import { createWriteStream } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { createDatabase } from '../src/db/database.js';
import { exportQuerySchema } from '../src/ledger/export/export.schemas.js';
import { entryFilterOf } from '../src/ledger/ledger.reader.js';
import { streamPages, writeExport } from '../src/ledger/export/export.stream.js';
import { countEntries } from '../src/ledger/ledger.repository.js';
import { command, databaseUrlSetting, existingDatabase, outputFile, runCli, UsageError, withoutPassword } from './cli.js';

const program = command('export', 'Export the ledger (or a filtered part of it) from the database to a file, as NDJSON or CSV. Every bound is inclusive.')
  .requiredOption('--out <file>', 'the file to write (its folder must exist)')
  .option('--format <format>', 'ndjson (one entry per line, verifiable) or csv (one row per posting)', 'ndjson')
  .option('--from-seq <n>', 'first seq')
  .option('--to-seq <n>', 'last seq')
  .option('--from <date>', 'first recorded date, YYYY-MM-DD (Asia/Shanghai)')
  .option('--to <date>', 'last recorded date, YYYY-MM-DD (Asia/Shanghai)')
  .option('--type <type>', 'one entry type, e.g. payment.disbursed')
  .option('--program <id>', 'one program')
  .option('--kind <kind>', 'compute, corpus or model')
  .option('--region <code>', 'a region and what it covers (330100: 3301xx)')
  .option('--bom', 'CSV: start with a UTF-8 byte-order mark, for spreadsheets')
  .option('--no-bom', 'CSV: no byte-order mark')
  .option('--lang <lang>', 'CSV header language: en or zh')
  .option('--force', 'overwrite --out if it exists')
  .option('--db <path|url>', 'the SQLite file or postgres:// URL (default: DATABASE_URL)')
  .addHelpText('after', '\nExample:\n  npm run export -- --format csv --out ledger.csv --region 330100 --from 2026-01-01 --to 2026-12-31')
  .parse();
type Options = Record<'out' | 'format', string> &
  Partial<Record<'fromSeq' | 'toSeq' | 'from' | 'to' | 'type' | 'program' | 'kind' | 'region' | 'lang' | 'db', string>> & { bom?: boolean; force?: boolean };
const options = program.opts<Options>();

await runCli(
  'export',
  async () => {
    const raw = {
      format: options.format,
      fromSeq: options.fromSeq,
      toSeq: options.toSeq,
      from: options.from,
      to: options.to,
      type: options.type,
      programId: options.program,
      kind: options.kind,
      region: options.region,
      bom: options.bom === undefined ? undefined : options.bom ? '1' : '0',
      lang: options.lang,
    };
    const query = exportQuerySchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)));
    if (!query.success) {
      const flag = (path: PropertyKey[]) =>
        `--${String(path[0] ?? 'filters')
          .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
          .replace('program-id', 'program')}`;
      throw new UsageError(query.error.issues.map((issue) => `${flag(issue.path)}: ${issue.message}`).join('; '));
    }
    const url = existingDatabase(options.db ?? databaseUrlSetting());
    const out = outputFile(options.out, { overwrite: options.force ?? false });

    const db = createDatabase(url, { readonly: true });
    try {
      const filter = entryFilterOf(query.data);
      const bar = process.stderr.isTTY
        ? new SingleBar({ format: 'exporting [{bar}] {value}/{total} entries | {eta_formatted} left', stream: process.stderr })
        : undefined;
      bar?.start(await countEntries(db, filter), 0);
      let written = 0;
      const onEntry = () => {
        written++;
        bar?.increment();
      };
      await writeExport(streamPages(db, filter), query.data.format, createWriteStream(out), {
        ...query.data,
        bom: query.data.bom ?? query.data.format === 'csv',
        onEntry,
      });
      bar?.stop();
      console.error(`wrote ${written} entries to ${out}`);
    } finally {
      await db.destroy();
    }
  },
  withoutPassword(options.db ?? process.env['DATABASE_URL']),
);
