// The benchmark, run on demand (not in CI): `npm run bench [-- --entries N] [--quick] [--ledger DIR] [--keep]`.
// Everything is measured side by side in one run and printed against a floor measured in the same run, since
// the machine is shared and absolute figures are noisy:
//   1. the export (NDJSON, CSV) of an N-entry ledger from the compiled server, run as `npm start` runs it
//      (node dist/src/server.js): entries/s against raw iterate(), peak RSS, /healthz latency meanwhile;
//   2. the offline verifier on that NDJSON against JSON.parse + SHA-256, with its peak RSS;
//   3. POST /v1/redemptions over HTTP against an express 5 hello-world POST (autocannon, 32 connections);
//   4. redemptions in-process (1 and 32 in flight) against the same SQL on raw better-sqlite3.
// With --engine pg, only 3. runs, on PostgreSQL: two servers on a database made for the run, under one load of 32
// connections split between them, against the same SQL on raw `pg` from two clients (scripts/bench/postgres.ts).
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SingleBar } from 'cli-progress';
import { mintDevToken } from '../src/auth/dev-token.js';
import { loadConfig } from '../src/config.js';
import { createDatabase, migrateToLatest } from '../src/db/database.js';
import { loadPolicies } from '../src/rules/policy-loader.js';
import { type ExportRun, iterateFloor, measureExport } from './bench/export.js';
import { helloWorldLoad, type LoadResult, redemptionLoad, writeBatches } from './bench/http.js';
import { freePort, mb, onInterrupt, rssOf, stop, waitForHttp } from './bench/processes.js';
import { createBenchDatabase, rawPostgresFloor } from './bench/postgres.js';
import { treeAppendMicros } from './bench/merkle.js';
import { benchTokens, inProcessRedemptions, rawRedemptionFloor, redemptionBody, redemptionFixture } from './bench/redemptions.js';
import { buildSyntheticLedger } from './bench/synthetic-ledger.js';
import { runVerifier, verifierFloor, type VerifierRun } from './bench/verifier.js';
import { type BenchRun, comparisonTable, compareRuns, type Measure } from './bench/compare.js';
import { command, integer } from './cli.js';
import { InvalidArgumentError } from 'commander';

const SECTIONS = ['export', 'verify', 'http', 'inproc'] as const;
const sections = (text: string): Set<string> => {
  const chosen = text.split(',').map((section) => section.trim());
  const unknown = chosen.filter((section) => !(SECTIONS as readonly string[]).includes(section));
  if (unknown.length > 0 || chosen.length === 0) throw new InvalidArgumentError(`sections are ${SECTIONS.join(', ')}`);
  return new Set(chosen);
};
const ENGINES = ['sqlite', 'pg'] as const;
const engineName = (text: string): (typeof ENGINES)[number] => {
  if (!(ENGINES as readonly string[]).includes(text)) throw new InvalidArgumentError(`engines are ${ENGINES.join(', ')}`);
  return text as (typeof ENGINES)[number];
};
const program = command(
  'bench',
  'Measure redemptions, exports and the verifier against floors measured in the same run (not a test; needs the dev dependencies, and curl).',
)
  .option('--entries <n>', 'ledger entries to build (default: 1,000,000; 50,000 with --quick)', integer(1))
  .option('--quick', 'a short run: 50,000 entries, shorter load phases', false)
  .option('--ledger <dir>', 'build the ledger in DIR, or reuse the one there when it holds exactly N entries')
  .option('--keep', 'keep the ledger folder afterwards', false)
  .option('--only <sections>', `comma-separated: ${SECTIONS.join(',')}`, sections, new Set<string>(SECTIONS))
  .option('--http-seconds <s>', 'seconds of HTTP load (default: 15; 5 with --quick)', integer(1, 3600))
  .option('--inproc-seconds <s>', 'seconds of in-process load (default: 10; 3 with --quick)', integer(1, 3600))
  .option('--engine <engine>', 'sqlite, or pg: redemptions over HTTP on PostgreSQL only (two servers against a raw pg floor)', engineName, 'sqlite')
  .option(
    '--pg-url <url>',
    'the PostgreSQL server for --engine pg: a database is created on it for the run, and dropped after',
    'postgres://postgres@127.0.0.1:5432/postgres',
  )
  .option('--node-flags <flags>', 'node flags for the server under test (default: none)')
  .option('--json <file>', 'also write every measure, with its ratio to its floor, to FILE (bench/baseline.json is one)')
  .option('--compare [file]', 'print each measure beside a baseline run (default: bench/baseline.json), flagging any more than 20% worse')
  .parse();
const values = program.opts<{
  entries?: number;
  quick: boolean;
  ledger?: string;
  keep: boolean;
  only: Set<string>;
  httpSeconds?: number;
  inprocSeconds?: number;
  engine: (typeof ENGINES)[number];
  pgUrl: string;
  nodeFlags?: string;
  json?: string;
  compare?: string | true;
}>();
const quick = values.quick;
const total = values.entries ?? (quick ? 50_000 : 1_000_000);
const httpSeconds = values.httpSeconds ?? (quick ? 5 : 15);
const inprocSeconds = values.inprocSeconds ?? (quick ? 3 : 10);
const only = values.only;
const onPostgres = values.engine === 'pg';
// The export, the verifier and the in-process runs read SQLite files: on PostgreSQL the HTTP redemptions are measured.
if (onPostgres) {
  if (program.getOptionValueSource('only') === 'cli' && [...only].some((section) => section !== 'http'))
    program.error('--engine pg runs the http section only (export, verify and inproc measure SQLite)', { exitCode: 2 });
  only.clear();
  only.add('http');
}
if (only.has('verify')) only.add('export');

// The server runs as `npm start` runs it (node dist/src/server.js, no flags) unless told otherwise.
const nodeFlags = (values.nodeFlags ?? '').split(' ').filter((flag) => flag !== '');

// A kept ledger directory is reused when it holds exactly N entries: building 1,000,000 takes minutes.
const dir = values.ledger ?? mkdtempSync(join(tmpdir(), 'vl-bench-'));
mkdirSync(dir, { recursive: true });
const ledgerPath = join(dir, 'ledger.db');
const env = {
  NODE_ENV: 'production',
  JWT_SECRET: randomBytes(32).toString('hex'),
  LEDGER_SIGNING_KEY: join(dir, 'signing-key.pem'),
  LOG_LEVEL: 'warn',
  // Lets the bench read the servers' group-commit sizes from /metrics.
  METRICS_TOKEN: randomBytes(16).toString('hex'),
};
if (!existsSync(env.LEDGER_SIGNING_KEY))
  writeFileSync(env.LEDGER_SIGNING_KEY, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
const config = loadConfig({ ...env, DATABASE_URL: ledgerPath, LOG_LEVEL: 'silent' });

const log = (line: string) => console.error(`[bench] ${line}`);
/** Stops the run with one line and exit 1, leaving no temporary folder behind. */
function fail(line: string): never {
  console.error(`npm run bench: ${line}`);
  if (!values.keep && !values.ledger) rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function ledgerEntries(path: string): number {
  if (!existsSync(path)) return -1;
  const sqlite = new BetterSqlite3(path, { readonly: true });
  try {
    return Number(sqlite.prepare('select count(*) from ledger_entries').pluck().get());
  } catch {
    return -1;
  } finally {
    sqlite.close();
  }
}

async function ensureLedger(): Promise<number> {
  if (ledgerEntries(ledgerPath) === total) {
    log(`reusing the ${fmt(total)}-entry ledger in ${dir}`);
    return 0;
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(ledgerPath + suffix, { force: true });
  const started = performance.now();
  const db = createDatabase(ledgerPath);
  await migrateToLatest(db);
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'building ledger [{bar}] {value}/{total}', stream: process.stderr }) : undefined;
  bar?.start(total, 0);
  await buildSyntheticLedger(db, loadPolicies().get('zj-ai-2025')!, total, (done) => bar?.update(done));
  bar?.stop();
  await db.destroy();
  return (performance.now() - started) / 1000;
}

/** `onSpawn` is told of the child before it answers, so that an interrupted start can stop it. */
async function startServer(databasePath: string, onSpawn?: (child: ChildProcess) => void): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeFlags, 'dist/src/server.js'], {
    env: { ...process.env, ...env, DATABASE_URL: databasePath, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  onSpawn?.(child);
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`);
  return { child, base };
}

const freshFile = (name: string) => {
  const path = join(dir, name);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return path;
};

// ---- runs ----
const buildSeconds = onPostgres ? 0 : await ensureLedger();
// npm run bench runs from dist/, built when stale before it started; this only rebuilds what changed since.
execSync('node scripts/build.mjs --if-stale', { stdio: 'inherit' });

let idleRss = 0;
let exportFloor = 0;
const exports: Partial<Record<'ndjson' | 'csv', ExportRun>> = {};
let verifier: VerifierRun | undefined;
let verifierBase: VerifierRun | undefined;
if (only.has('export')) {
  const { child, base } = await startServer(ledgerPath);
  const auditor = await mintDevToken(config, { sub: 'bench-auditor', role: 'auditor', region: '330000' });
  await fetch(`${base}/v1/ledger?limit=10`, { headers: { authorization: `Bearer ${auditor}` } });
  idleRss = rssOf(child.pid!);
  for (const format of ['ndjson', 'csv'] as const) {
    log(`exporting ${format}`);
    exports[format] = await measureExport(base, child.pid!, auditor, format, format === 'ndjson' ? join(dir, 'export.ndjson') : undefined);
  }
  await stop(child);
  log('iterate() floor');
  exportFloor = iterateFloor(ledgerPath);
}
if (only.has('verify')) {
  log('verifier');
  verifier = await runVerifier(join(dir, 'export.ndjson'));
  log('JSON.parse + SHA-256 floor');
  verifierBase = await verifierFloor(join(dir, 'export.ndjson'));
}

let hello: LoadResult | undefined;
let overHttp: LoadResult | undefined;
if (only.has('http') && !onPostgres) {
  const { child, base } = await startServer(freshFile('http.db'));
  const tokens = await benchTokens(config);
  const body = redemptionBody(await redemptionFixture(base, tokens));
  log(`express hello-world POST, 32 connections, ${httpSeconds} s`);
  hello = await helloWorldLoad(nodeFlags, body, httpSeconds);
  log(`POST /v1/redemptions, 32 connections, ${httpSeconds} s`);
  overHttp = await redemptionLoad(base, tokens.provider, body, httpSeconds);
  await stop(child);
}

// 32 connections over two servers, 16 at each. A server's group commits take what arrived while the one before ran,
// about half of its connections, so the floor commits as often as the servers did: their average, measured in the run
// (as the in-process floors commit as often as the run they are compared with).
const PG_SERVERS = 2;

/** Two servers on a fresh PostgreSQL database under one load, then the raw pg floor on the same database. */
async function postgresRedemptions() {
  const database = await createBenchDatabase(values.pgUrl).catch((err: Error) => fail(err.message));
  const servers: ChildProcess[] = [];
  const cleanUp = async () => {
    await Promise.all(servers.map(stop));
    await database.drop();
  };
  const interrupt = onInterrupt(cleanUp);
  try {
    const bases: string[] = [];
    // One after the other: the first migrates the new database.
    for (let i = 0; i < PG_SERVERS; i++) bases.push((await startServer(database.url, (child) => servers.push(child))).base);
    const tokens = await benchTokens(config);
    const fixture = await redemptionFixture(bases[0]!, tokens);
    log(`POST /v1/redemptions on PostgreSQL, ${PG_SERVERS} servers, 32 connections split between them, ${httpSeconds} s`);
    const before = await Promise.all(bases.map((base) => writeBatches(base, env.METRICS_TOKEN)));
    const load = await redemptionLoad(bases, tokens.provider, redemptionBody(fixture), httpSeconds);
    const after = await Promise.all(bases.map((base) => writeBatches(base, env.METRICS_TOKEN)));
    const sum = (key: 'commands' | 'transactions') => after.reduce((total, each, i) => total + each[key] - before[i]![key], 0);
    await Promise.all(servers.map(stop));
    const batchSize = sum('commands') / sum('transactions');
    const perTransaction = Math.max(1, Math.round(batchSize));
    log(`raw pg floor, ${PG_SERVERS} clients, ${perTransaction} per transaction (the servers' average), ${httpSeconds} s`);
    const floor = await rawPostgresFloor(database.url, fixture, { seconds: httpSeconds, perTransaction, clients: PG_SERVERS });
    return { load, floor, version: database.version, batchSize, perTransaction };
  } finally {
    await cleanUp();
    interrupt.dispose();
  }
}
let postgres: Awaited<ReturnType<typeof postgresRedemptions>> | undefined;
if (onPostgres) postgres = await postgresRedemptions();

let inproc1 = 0;
let inproc32 = 0;
let rawFloor1 = 0;
let rawFloor32 = 0;
let treeMicros = 0;
if (only.has('inproc')) {
  log(`in-process redemptions, 1 in flight, ${inprocSeconds} s`);
  inproc1 = await inProcessRedemptions(freshFile('inproc-1.db'), config, inprocSeconds, 1);
  log(`in-process redemptions, 32 in flight, ${inprocSeconds} s`);
  inproc32 = await inProcessRedemptions(freshFile('inproc-32.db'), config, inprocSeconds, 32);
  // Floors committing as the runs do: one redemption per transaction, and 32 (a full group commit).
  log(`raw better-sqlite3 floor, 1 per transaction, ${inprocSeconds} s`);
  rawFloor1 = await rawRedemptionFloor(freshFile('raw-floor-1.db'), config, inprocSeconds, 1);
  log(`raw better-sqlite3 floor, 32 per transaction, ${inprocSeconds} s`);
  rawFloor32 = await rawRedemptionFloor(freshFile('raw-floor-32.db'), config, inprocSeconds, 32);
  log(`Merkle tree appends on a tree of ${fmt(total)} leaves`);
  treeMicros = await treeAppendMicros(freshFile('merkle.db'), total, 20_000);
}

// ---- report ----
interface Row {
  measure: string;
  value: string;
  floor: string;
  ratio: string;
  target: string;
  met: boolean | undefined;
}
const rows: Row[] = [];
// The same figures by a stable key, for --json and --compare.
const measures: Record<string, Measure> = {};
const ratioRow = (key: string, measure: string, value: number, floor: number, unit: string, minRatio: number | undefined, digits = 0) => {
  rows.push({
    measure,
    value: `${fmt(value, digits)} ${unit}`,
    floor: `${fmt(floor, digits)} ${unit}`,
    ratio: `${(value / floor).toFixed(2)}×`,
    target: minRatio === undefined ? '—' : `≥ ${minRatio}× floor`,
    met: minRatio === undefined ? undefined : value / floor >= minRatio,
  });
  measures[key] = { label: measure, value, unit, floor, compared: value / floor, better: 'higher', target: rows.at(-1)!.target, met: rows.at(-1)!.met };
};
const limitRow = (key: string, measure: string, value: string, target: string, met: boolean, figure: { value: number; unit: string }) => {
  rows.push({ measure, value, floor: '', ratio: '', target, met });
  measures[key] = { label: measure, value: figure.value, unit: figure.unit, compared: figure.value, better: 'lower', target, met };
};

if (hello && overHttp) {
  ratioRow('http.redemptions', 'HTTP redemptions/s (32 conns)', overHttp.rate, hello.rate, 'req/s', 0.5);
  const p99Ratio = overHttp.p99 / Math.max(hello.p99, 1);
  rows.push({
    measure: 'HTTP redemption p99 latency',
    value: `${overHttp.p99} ms`,
    floor: `${hello.p99} ms`,
    ratio: `${p99Ratio.toFixed(2)}×`,
    target: '≤ 2× floor',
    met: p99Ratio <= 2,
  });
  measures['http.p99'] = {
    label: 'HTTP redemption p99 latency',
    value: overHttp.p99,
    unit: 'ms',
    floor: hello.p99,
    compared: p99Ratio,
    better: 'lower',
    target: '≤ 2× floor',
    met: p99Ratio <= 2,
  };
}
if (postgres) {
  const { load, floor } = postgres;
  ratioRow(
    'pg.http.redemptions',
    `PostgreSQL HTTP redemptions/s, ${PG_SERVERS} servers, 32 conns (floor: raw pg, ${PG_SERVERS} clients, ${postgres.perTransaction} per transaction)`,
    load.rate,
    floor,
    '/s',
    0.5,
  );
  // No floor for the latency: the raw floor has no requests. Recorded for --compare, without a target.
  limitRow('pg.http.p99', 'PostgreSQL HTTP redemption p99 latency', `${load.p99} ms (p50 ${load.p50} ms)`, '—', true, { value: load.p99, unit: 'ms' });
  rows.at(-1)!.met = measures['pg.http.p99']!.met = undefined;
  limitRow('pg.http.non2xx', 'PostgreSQL HTTP redemptions answered non-2xx', fmt(load.non2xx), '0', load.non2xx === 0, { value: load.non2xx, unit: 'answers' });
}
if (rawFloor1 && rawFloor32) {
  ratioRow('inproc.1', 'in-process redemptions/s, 1 in flight (floor: 1 per transaction)', inproc1, rawFloor1, '/s', 0.5);
  ratioRow('inproc.32', 'in-process redemptions/s, 32 in flight (floor: 32 per transaction)', inproc32, rawFloor32, '/s', 0.5);
  // The tree's share of one append: its µs against the whole in-process redemption's (which includes it).
  const share = treeMicros / (1e6 / inproc1);
  limitRow(
    'merkle.share',
    `Merkle tree per append at ${fmt(total)} leaves`,
    `${fmt(treeMicros, 1)} µs (${(share * 100).toFixed(1)}% of a redemption)`,
    '≤ 10% of an append',
    share <= 0.1,
    {
      value: share,
      unit: 'share of a redemption',
    },
  );
}
// The exports' targets are a rate or a ratio to the iterate() floor, whichever is met: a slower machine's floor is
// lower, and its ratio says whether the export kept pace with it.
for (const [format, minimum, minimumRatio] of [
  ['ndjson', 100_000, 0.4],
  ['csv', 50_000, 0.2],
] as const) {
  const run = exports[format];
  if (!run) continue;
  const rate = total / run.seconds;
  ratioRow(`export.${format}.rate`, `export ${format.toUpperCase()} entries/s`, rate, exportFloor, '/s', undefined);
  rows.at(-1)!.target = measures[`export.${format}.rate`]!.target = `≥ ${fmt(minimum)}/s or ${minimumRatio}×`;
  rows.at(-1)!.met = measures[`export.${format}.rate`]!.met = rate >= minimum || (exportFloor > 0 && rate / exportFloor >= minimumRatio);
  limitRow(
    `export.${format}.rss`,
    `export ${format.toUpperCase()} peak server RSS`,
    `${fmt(mb(run.peakRss), 1)} MB`,
    '< 150 MB',
    run.peakRss < 150 * 1024 * 1024,
    {
      value: mb(run.peakRss),
      unit: 'MB',
    },
  );
  limitRow(
    `export.${format}.health-p99`,
    `/healthz during ${format.toUpperCase()} p50/p99/max`,
    `${fmt(run.health.p50, 1)}/${fmt(run.health.p99, 1)}/${fmt(run.health.max, 1)} ms`,
    'p99 ≤ 100 ms',
    run.health.p99 <= 100,
    { value: run.health.p99, unit: 'ms' },
  );
}
if (verifier && verifierBase) {
  ratioRow('verify.rate', 'verifier entries/s', verifier.entries / verifier.seconds, verifierBase.entries / verifierBase.seconds, '/s', undefined);
  limitRow('verify.rss', 'verifier peak RSS (floor)', `${fmt(mb(verifier.peakRss), 1)} MB (${fmt(mb(verifierBase.peakRss), 1)} MB)`, '—', true, {
    value: mb(verifier.peakRss),
    unit: 'MB',
  });
  rows.at(-1)!.met = measures['verify.rss']!.met = undefined;
}

const headers = ['measure', 'result', 'floor (same run)', 'ratio', 'target', ''];
const cells = rows.map((r) => [r.measure, r.value, r.floor, r.ratio, r.target, r.met === undefined ? '' : r.met ? 'met' : 'MISSED']);
const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;

const checks: string[] = [];
for (const [format, run] of Object.entries(exports))
  if (format === 'ndjson' && run.lines !== total) checks.push(`the NDJSON export held ${run.lines} lines, not ${total}`);
if (verifier && !verifier.ok) checks.push(`the verifier FAILED: ${JSON.stringify(verifier.failure)}`);
if (overHttp && overHttp.failures > 0) checks.push(`${overHttp.failures} redemption requests failed over HTTP`);
if (postgres && postgres.load.failures > 0)
  checks.push(`${postgres.load.failures} redemption requests failed over HTTP on PostgreSQL (${postgres.load.non2xx} answered non-2xx)`);

const server = `node ${nodeFlags.join(' ')}${nodeFlags.length ? ' ' : ''}dist/src/server.js`;
const setting = postgres
  ? [
      `voucher-ledger benchmark — PostgreSQL, HTTP redemptions only${quick ? ' (quick)' : ''}`,
      `servers: ${PG_SERVERS} × ${server}, on ${postgres.version} (a database made for the run, dropped after it)`,
    ]
  : [`voucher-ledger benchmark — ${fmt(total)} entries${quick ? ' (quick)' : ''}`, `server: ${server}`];
const ledgerLine = onPostgres
  ? ''
  : `ledger: ${buildSeconds ? `built in ${buildSeconds.toFixed(1)} s` : 'reused'}, ${fmt(mb(statSync(ledgerPath).size), 1)} MB${idleRss ? `; server idle RSS ${fmt(mb(idleRss), 1)} MB` : ''}`;
const httpLine = (load: LoadResult) =>
  `redemptions ${fmt(load.rate)} req/s p50 ${load.p50} ms p99 ${load.p99} ms (${fmt(load.requests)} requests, ${load.non2xx} non-2xx, ${load.failures} failed)`;

console.log(`
${setting.join('\n')}
machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${fmt(mb(totalmem()), 0)} MB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}
${[
  ledgerLine,
  ...Object.entries(exports).map(([f, r]) => `export ${f}: ${fmt(mb(r.bytes), 1)} MB in ${r.seconds.toFixed(1)} s; ${r.health.count} health checks`),
  hello && overHttp ? `HTTP: hello-world ${fmt(hello.rate)} req/s p50 ${hello.p50} ms p99 ${hello.p99} ms; ${httpLine(overHttp)}` : '',
  postgres
    ? `HTTP on PostgreSQL: ${httpLine(postgres.load)}, in transactions of ${fmt(postgres.batchSize, 1)} on average; raw pg floor ${fmt(postgres.floor)} redemptions/s at ${postgres.perTransaction} per transaction`
    : '',
  verifier ? `verifier: ${verifier.ok ? 'OK' : 'FAILED'}, ${fmt(verifier.entries)} entries in ${verifier.seconds.toFixed(1)} s` : '',
]
  .filter(Boolean)
  .join('\n')}

${line(headers)}
${line(widths.map((w) => '-'.repeat(w)))}
${cells.map(line).join('\n')}
${checks.length ? `\nFAILED CHECKS:\n${checks.map((c) => `  ${c}`).join('\n')}` : ''}`);

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${fmt(mb(totalmem()), 0)} MB RAM, Node ${process.version}`;
const run: BenchRun = { date: new Date().toISOString(), machine, engine: values.engine, entries: onPostgres ? 0 : total, quick, measures };
if (values.json) {
  writeFileSync(values.json, `${JSON.stringify(run, null, 2)}\n`);
  log(`wrote ${values.json}`);
}
if (values.compare) {
  const baselinePath = values.compare === true ? 'bench/baseline.json' : values.compare;
  const baseline = JSON.parse(readFileSync(baselinePath, 'utf8')) as BenchRun;
  const compared = compareRuns(baseline, run);
  const ofBaseline = baseline.engine === 'pg' ? 'PostgreSQL' : `${baseline.entries.toLocaleString('en-US')} entries`;
  console.log(`\nagainst ${baselinePath} (${baseline.date.slice(0, 10)}, ${ofBaseline}, ${baseline.machine}):\n${comparisonTable(compared)}`);
  const regressed = compared.filter((row) => row.regressed);
  if (regressed.length > 0) {
    checks.push(`${regressed.length} measure(s) more than 20% worse than the baseline: ${regressed.map((row) => row.key).join(', ')}`);
    console.log(`\nREGRESSED: ${regressed.map((row) => row.label).join('; ')}`);
  }
}

if (values.keep || values.ledger) log(`kept ${dir} (reuse the ledger with --ledger ${dir})`);
else rmSync(dir, { recursive: true, force: true });
process.exit(checks.length > 0 ? 1 : 0);
