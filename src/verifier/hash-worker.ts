// A hashing thread: given a batch of NDJSON lines, answers with its `hashes` failures only (line-hash.ts).
import { parentPort } from 'node:worker_threads';
import type { HashAnswer, HashRequest } from './hash-pool.js';
import { hashFailures } from './line-hash.js';

parentPort?.on('message', ({ id, payload }: HashRequest) => {
  const answer: HashAnswer = { id, failures: hashFailures(payload), payload };
  // The bytes go back to be filled again (hash-pool.ts).
  parentPort!.postMessage(answer, typeof payload === 'string' ? [] : [payload.buffer as ArrayBuffer]);
});
