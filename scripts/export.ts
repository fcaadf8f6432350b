// Exports the ledger straight from the database file, without a running server.
//   npm run export -- --format ndjson|csv --out FILE [--from-seq N] [--to-seq N] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
//                     [--program ID] [--kind compute|corpus|model] [--region CODE] [--bom] [--db PATH]
import { SingleBar } from 'cli-progress';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/database.js';
import { countEntries } from '../src/ledger/ledger.repository.js';
import { exportQuerySchema } from '../src/ledger/export/export.schemas.js';
import { exportFilter, streamPages, writeExport } from '../src/ledger/export/export.stream.js';

const { values } = parseArgs({
  options: {
    format: { type: 'string', default: 'ndjson' },
    out: { type: 'string' },
    'from-seq': { type: 'string' },
    'to-seq': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    program: { type: 'string' },
    kind: { type: 'string' },
    region: { type: 'string' },
    bom: { type: 'boolean', default: false },
    db: { type: 'string' },
  },
});
const query = exportQuerySchema.safeParse(
  Object.fromEntries(
    Object.entries({
      format: values.format,
      fromSeq: values['from-seq'],
      toSeq: values['to-seq'],
      from: values.from,
      to: values.to,
      programId: values.program,
      kind: values.kind,
      region: values.region,
      bom: values.bom ? '1' : undefined,
    }).filter(([, v]) => v !== undefined),
  ),
);
if (!values.out || !query.success) {
  console.error('usage: npm run export -- --format ndjson|csv --out FILE [filters]');
  if (!query.success) console.error(query.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n'));
  process.exit(2);
}

const db = createDatabase(values.db ?? loadConfig().DATABASE_URL, { readonly: true });
const filter = exportFilter(query.data);
const bar = process.stderr.isTTY ? new SingleBar({ format: 'exporting [{bar}] {value}/{total} entries | {eta_formatted} left', stream: process.stderr }) : undefined;
bar?.start(await countEntries(db, filter), 0);
let written = 0;
await writeExport(streamPages(db, filter), query.data.format, createWriteStream(values.out), {
  bom: query.data.bom,
  onEntry: () => {
    written++;
    bar?.increment();
  },
});
bar?.stop();
await db.destroy();
console.error(`wrote ${written} entries to ${values.out}`);
