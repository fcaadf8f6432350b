// The offline verifier (src/verifier/run.ts, as compiled to dist/) on an NDJSON export, with the heap tuning
// `npm run verify` sets for its process, and its floor: JSON.parse and SHA-256 of every line. Each runs in its
// own plain `node`, reporting its own peak RSS.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { runJsonChild } from './processes.js';

export interface VerifierRun {
  ok: boolean;
  entries: number;
  seconds: number;
  peakRss: number;
  failure?: unknown;
}

const VERIFY = `
const { runVerification, tuneHeapForVerification } = await import(process.argv[2]);
tuneHeapForVerification();
const started = performance.now();
const report = await runVerification({ file: process.argv[3] });
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ ok: report.ok, entries: report.entries, seconds, peakRss: process.resourceUsage().maxRSS * 1024, failure: report.firstFailure }));
`;

const PARSE_AND_HASH = `
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
const started = performance.now();
let entries = 0;
let rest = '';
for await (const chunk of createReadStream(process.argv[2], { encoding: 'utf8', highWaterMark: 1 << 20 })) {
  const text = rest + chunk;
  let start = 0;
  for (let nl = text.indexOf('\\n'); nl !== -1; nl = text.indexOf('\\n', start)) {
    const line = text.slice(start, nl);
    JSON.parse(line);
    createHash('sha256').update(line).digest('hex');
    entries++;
    start = nl + 1;
  }
  rest = text.slice(start);
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ ok: true, entries, seconds, peakRss: process.resourceUsage().maxRSS * 1024 }));
`;

export const runVerifier = (ndjson: string) => runJsonChild<VerifierRun>(VERIFY, [pathToFileURL(resolve('dist/src/verifier/run.js')).href, ndjson]);
export const verifierFloor = (ndjson: string) => runJsonChild<VerifierRun>(PARSE_AND_HASH, [ndjson]);
