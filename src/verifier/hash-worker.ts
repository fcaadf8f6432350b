// A hashing thread: given a batch of NDJSON lines, re-does exactly what the main thread would do for the
// `hashes` check (parse, shape check, canonicalise, SHA-256) and answers with the failures only.
import { parentPort } from 'node:worker_threads';
import { type Entry, hashProblem, shapeProblem } from './entry.js';
import type { HashFailure, HashRequest } from './hash-pool.js';

const decoder = new TextDecoder();

export function hashFailures(payload: Uint8Array | string): HashFailure[] {
  const text = typeof payload === 'string' ? payload : decoder.decode(payload);
  const failures: HashFailure[] = [];
  for (const line of text.split('\n')) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // the main thread reports it under `format`
    }
    if (shapeProblem(value)) continue;
    const problem = hashProblem(value as Entry);
    if (problem) failures.push([(value as Entry).seq, problem]);
  }
  return failures;
}

parentPort?.on('message', ({ id, payload }: HashRequest) => {
  parentPort!.postMessage({ id, failures: hashFailures(payload) });
});
