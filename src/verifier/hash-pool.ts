// Hashing on worker threads. The main thread keeps every other check (they are sequential); the workers
// hash each batch from its bytes (line-hash.ts), so only the batch bytes and the failures cross threads.
import { Worker } from 'node:worker_threads';
import type { HashFailure } from './line-hash.js';

export type { HashFailure };
export interface HashRequest {
  id: number;
  payload: Uint8Array | string;
}
/** The failures of a batch, and its bytes given back to be filled again. */
export interface HashAnswer {
  id: number;
  failures: HashFailure[];
  payload: Uint8Array | string;
}

/** Batches in flight per worker: enough to keep it busy, few enough to keep memory flat. */
const IN_FLIGHT_PER_WORKER = 3;

/**
 * A worker's garbage is a batch's lines and their canonical forms, a few MB: a young generation of 8 MB holds
 * it, where the default (32 MB, as large as the main thread's) only adds to the resident size.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

function startWorker(): Worker {
  const url = new URL(import.meta.url.endsWith('.ts') ? './hash-worker.ts' : './hash-worker.js', import.meta.url);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { resourceLimits: WORKER_LIMITS });
  // Running from source (tsx, vitest): the worker registers tsx itself before loading the TypeScript module.
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, resourceLimits: WORKER_LIMITS });
}

export class HashPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (failures: HashFailure[]) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private failed: Error | undefined;
  /**
   * Batch buffers the workers gave back. Reusing them keeps the allocator from seeing a 256 KB buffer made on
   * this thread and freed on another at every batch: that pattern left glibc's heap 50 MB larger at 1,000,000
   * entries (its mmap threshold rises with the first such buffer freed, and the rest fragment its heap).
   */
  private readonly spare: ArrayBuffer[] = [];

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const worker = startWorker();
      worker.on('message', ({ id, failures, payload }: HashAnswer) => {
        if (typeof payload !== 'string') this.spare.push(payload.buffer as ArrayBuffer);
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

  /**
   * A buffer of at least `length` bytes to put a batch in: one given back, or a new one of the next power of two,
   * so that batches of slightly different lengths fit the same buffers.
   */
  buffer(length: number): Uint8Array {
    while (this.spare.length > 0) {
      const spare = this.spare.pop()!;
      if (spare.byteLength >= length) return new Uint8Array(spare);
    }
    return new Uint8Array(2 ** Math.ceil(Math.log2(Math.max(length, 1 << 16))));
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
