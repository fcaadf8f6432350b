// Export throughput and footprint against the running server, with a health check probing it meanwhile,
// and the floor: better-sqlite3's iterate() over the two tables the export reads.
import BetterSqlite3 from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { peakRss, runJsonChild } from './processes.js';

export interface Latency {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ExportRun {
  seconds: number;
  bytes: number;
  lines: number;
  peakRss: number;
  health: Latency;
}

// A client in its own process, so that the benchmark's own work never delays its timings: GET /healthz on
// one keep-alive connection, the next 10 ms after the last answered, until SIGTERM.
const HEALTH_PROBE = `
import http from 'node:http';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const latencies = [];
let running = true;
process.on('SIGTERM', () => (running = false));
const probe = () => new Promise((resolve, reject) => {
  const started = performance.now();
  http.get(process.argv[2], { agent }, (res) => { res.resume(); res.on('end', () => resolve(performance.now() - started)); }).on('error', reject);
});
console.log('ready');
while (running) {
  const started = performance.now();
  latencies.push(await probe());
  const wait = 10 - (performance.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
console.log(JSON.stringify({ count: latencies.length, p50: q(0.5), p99: q(0.99), max: latencies.at(-1) ?? 0 }));
`;

/**
 * Downloads with curl, as an auditor would: a client of its own that costs next to no CPU, so that on a
 * 2-core machine the figure is the server's (a Node client counting lines took a core's share and slowed
 * the export by a fifth). Lines are counted afterwards, from the file, when there is one.
 */
async function download(url: string, token: string, out?: string): Promise<number> {
  const target = out ?? '/dev/null';
  const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn('curl', ['-sS', '--fail', '-H', `Authorization: Bearer ${token}`, '-o', target, '-w', '%{size_download}', url]);
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout }));
  });
  if (result.code !== 0) throw new Error(`curl ${url}: exit ${result.code}`);
  return Number(result.stdout);
}

async function countLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  return lines;
}

/** Streams one export from the server to `out` (or nowhere), timing it, watching its RSS and its health checks. */
export async function measureExport(base: string, serverPid: number, token: string, format: 'ndjson' | 'csv', out?: string): Promise<ExportRun> {
  let probeChild: ChildProcess | undefined;
  let ready: () => void = () => undefined;
  const probeReady = new Promise<void>((resolve) => (ready = resolve));
  const health = runJsonChild<Latency>(HEALTH_PROBE, [`${base}/healthz`], {
    onStart: (child) => {
      probeChild = child;
      child.stdout!.once('data', () => ready());
    },
  });
  await probeReady;
  const peak = peakRss(serverPid);
  const started = performance.now();
  const bytes = await download(`${base}/v1/ledger/export?format=${format}`, token, out);
  const seconds = (performance.now() - started) / 1000;
  const peakRssBytes = peak();
  probeChild!.kill('SIGTERM');
  return { seconds, bytes, lines: out ? await countLines(out) : 0, peakRss: peakRssBytes, health: await health };
}

/** Entries per second at which raw better-sqlite3 iterate() reads every entry row and every posting row. */
export function iterateFloor(dbPath: string): number {
  const sqlite = new BetterSqlite3(dbPath, { readonly: true });
  sqlite.defaultSafeIntegers(true);
  const started = performance.now();
  let entries = 0;
  for (const _row of sqlite.prepare('select * from ledger_entries order by seq').iterate()) entries++;
  for (const _row of sqlite.prepare('select * from ledger_postings order by entry_seq, idx').iterate());
  const seconds = (performance.now() - started) / 1000;
  sqlite.close();
  return entries / seconds;
}
