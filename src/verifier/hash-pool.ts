// Hashing on worker threads. The main thread keeps every other check (they are sequential); the workers
// parse and hash their own copy of each batch, so only the batch bytes and the failures cross threads.
import { Worker } from 'node:worker_threads';

/** The seq of an entry whose hash does not hold, and why. */
export type HashFailure = [seq: number, reason: string];
export interface HashRequest {
  id: number;
  payload: Uint8Array | string;
}

/** Batches in flight per worker: enough to keep it busy, few enough to keep memory flat. */
const IN_FLIGHT_PER_WORKER = 3;

function startWorker(): Worker {
  const url = new URL(import.meta.url.endsWith('.ts') ? './hash-worker.ts' : './hash-worker.js', import.meta.url);
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  // Running from source (tsx, vitest): the worker registers tsx itself before loading the TypeScript module.
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

export class HashPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (failures: HashFailure[]) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private failed: Error | undefined;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const worker = startWorker();
      worker.on('message', ({ id, failures }: { id: number; failures: HashFailure[] }) => {
        this.waiting.get(id)?.resolve(failures);
        this.waiting.delete(id);
      });
      worker.on('error', (err) => this.fail(err));
      return worker;
    });
  }

  get capacity(): number {
    return this.workers.length * IN_FLIGHT_PER_WORKER;
  }

  /** Hashes a batch of NDJSON lines; a Uint8Array is transferred (the caller must not use it again). */
  submit(payload: Uint8Array | string): Promise<HashFailure[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const transfer = typeof payload === 'string' ? [] : [payload.buffer as ArrayBuffer];
      worker.postMessage({ id, payload } satisfies HashRequest, transfer);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(err: Error): void {
    this.failed = err;
    for (const { reject } of this.waiting.values()) reject(err);
    this.waiting.clear();
  }
}
