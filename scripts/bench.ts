// Benchmarks of issue 3, run on demand (not in CI): `npm run bench [-- --entries 1000000]`.
// 1. builds a rule-consistent ledger of N entries in a temporary SQLite file;
// 2. starts the real (compiled) server on it and samples its resident memory while an auditor streams the export;
// 3. times the offline verifier on the NDJSON export and on the database file.
import { SingleBar } from 'cli-progress';
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { mintDevToken } from '../src/auth/dev-token.js';
import { loadConfig } from '../src/config.js';
import { createDatabase, migrateToLatest } from '../src/db/database.js';
import { loadPolicies } from '../src/rules/policy-loader.js';
import { runVerification } from '../src/verifier/run.js';
import { buildSyntheticLedger } from './bench/synthetic-ledger.js';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false }, 'node-flags': { type: 'string' } } });
// The flags of `npm start` unless told otherwise, so that the numbers are those of the real server.
const nodeFlags = (values['node-flags'] ?? /node (.*?) dist\/src\/server\.js/.exec(JSON.parse(readFileSync('package.json', 'utf8')).scripts.start)?.[1] ?? '').split(' ').filter(Boolean);
const total = Number(values.entries);
const dir = mkdtempSync(join(tmpdir(), 'vl-bench-'));
const dbPath = join(dir, 'bench.db');
const progress = (label: string) => (process.stderr.isTTY ? new SingleBar({ format: `${label} [{bar}] {value}/{total}`, stream: process.stderr }) : undefined);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function build(): Promise<number> {
  const started = performance.now();
  const db = createDatabase(dbPath);
  await migrateToLatest(db);
  const bar = progress('building ledger');
  bar?.start(total, 0);
  await buildSyntheticLedger(db, loadPolicies().get('zj-ai-2025')!, total, (done) => bar?.update(done));
  bar?.stop();
  await db.destroy();
  return (performance.now() - started) / 1000;
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  // The compiled server with the flags `npm start` uses, not the tsx loader used in development.
  execSync('npm run -s build', { stdio: 'inherit' });
  const child = spawn(process.execPath, [...nodeFlags, 'dist/src/server.js'], { env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return { child, base };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

async function measureExport(base: string, pid: number, token: string, format: 'ndjson' | 'csv', out: string) {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 25);
  const started = performance.now();
  const res = await fetch(`${base}/v1/ledger/export?format=${format}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok || !res.body) throw new Error(`export failed: ${res.status}`);
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(out));
  clearInterval(sampler);
  return { seconds: (performance.now() - started) / 1000, peak, bytes: statSync(out).size };
}

const buildSeconds = await build();
const env = { NODE_ENV: 'production', DATABASE_URL: dbPath, JWT_SECRET: randomBytes(32).toString('hex'), LEDGER_SIGNING_KEY: join(dir, 'key.pem') };
writeFileSync(env.LEDGER_SIGNING_KEY, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
const { child, base } = await startServer(env);
const token = await mintDevToken(loadConfig(env), { sub: 'bench-auditor', role: 'auditor', region: '330000' });
await fetch(`${base}/v1/ledger?limit=10`, { headers: { Authorization: `Bearer ${token}` } });
const idle = rssOf(child.pid!);
const ndjson = await measureExport(base, child.pid!, token, 'ndjson', join(dir, 'export.ndjson'));
const csv = await measureExport(base, child.pid!, token, 'csv', join(dir, 'export.csv'));
child.kill('SIGTERM');

let started = performance.now();
const fileReport = await runVerification({ file: join(dir, 'export.ndjson') });
const fileSeconds = (performance.now() - started) / 1000;
started = performance.now();
const dbReport = await runVerification({ db: dbPath });
const dbSeconds = (performance.now() - started) / 1000;

const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')} entries/s`;
console.log(`
voucher-ledger benchmark — ${total.toLocaleString('en-US')} entries
server: node ${nodeFlags.join(' ')} dist/src/server.js
machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${mb(totalmem())} RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}
ledger built in ${buildSeconds.toFixed(1)} s; database ${mb(statSync(dbPath).size)}

server resident memory (RSS), idle:          ${mb(idle)}
export NDJSON: peak RSS ${mb(ndjson.peak)}, ${mb(ndjson.bytes)} in ${ndjson.seconds.toFixed(1)} s (${rate(total, ndjson.seconds)})
export CSV:    peak RSS ${mb(csv.peak)}, ${mb(csv.bytes)} in ${csv.seconds.toFixed(1)} s (${rate(total, csv.seconds)})
verify NDJSON: ${fileReport.ok ? 'OK' : `FAILED ${JSON.stringify(fileReport.firstFailure)}`} in ${fileSeconds.toFixed(1)} s (${rate(fileReport.entries, fileSeconds)})
verify --db:   ${dbReport.ok ? 'OK' : `FAILED ${JSON.stringify(dbReport.firstFailure)}`} in ${dbSeconds.toFixed(1)} s (${rate(dbReport.entries, dbSeconds)})
`);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
const limit = 150 * 1024 * 1024;
process.exit(fileReport.ok && dbReport.ok && ndjson.peak < limit && csv.peak < limit ? 0 : 1);
