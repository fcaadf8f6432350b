import { type Kysely, sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine, StorageFailure } from '../db/engine.js';
import type { Database } from '../db/schema.js';

/** What to do with a storage failure: rerun the work, or answer with this error. */
export interface FailurePolicy {
  /** A refusal the command decided itself (no statement failed): with no row changed, it needs no rollback. */
  isRefusal(error: unknown): boolean;
  isRetried(failure: StorageFailure): boolean;
  errorOf(failure: StorageFailure): Error;
  busyError(): Error;
}

interface Pending<S> {
  work: (trx: Kysely<Database>) => Promise<unknown>;
  attempts: number;
  resolve(value: unknown, sealed: S | undefined): void;
  reject(error: unknown): void;
}

type Settlement = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Event-loop turns a batch waits for more commands to arrive. */
const GATHER_TURNS = 2;

/** Thrown to roll a lone command's transaction back; its own error travels in the settlement. */
const ROLL_BACK = Symbol('roll back');

/** Thrown to roll a batch back when a command failed after changing rows: the batch runs again with savepoints. */
const ISOLATE = Symbol('isolate');

/**
 * Signs what a batch wrote, in its transaction after its commands and before its commit (decision 0026): `needed`
 * is asked with the successful commands' values; `seal`'s result is handed to each of them.
 */
export interface BatchSealer<S> {
  needed(values: unknown[]): boolean;
  seal(trx: Kysely<Database>): Promise<S>;
}

/**
 * Group commit: write commands that arrive while a transaction is running wait for it, then run together in
 * the next one and share its one commit and fsync. Every command is answered only after the transaction that
 * holds its writes has committed: a success is durable, and a refusal was decided on state that was committed
 * too. A command that fails must leave nothing behind: one that refused before changing a row has nothing to
 * undo, so commands run without savepoints; only when one fails after changing rows (or a statement failed,
 * which aborts a PostgreSQL transaction) is the batch rolled back and run again with a savepoint around each
 * command, so that a failure rolls back only itself (decision 0036).
 */
export function createGroupCommitter<S = never>(
  db: Kysely<Database>,
  engine: Engine,
  policy: FailurePolicy,
  options: {
    maxAttempts: number;
    maxBatch: number;
    /** Rows changed through the database so far: any write moves it (`rowsChangedIn`). */
    rowsChanged: () => bigint;
    onBatch?: (size: number) => void;
    sealer?: BatchSealer<S> | undefined;
  },
) {
  const queue: Pending<S>[] = [];
  let draining = false;

  async function runAlone(trx: Kysely<Database>, item: Pending<S>): Promise<Settlement> {
    try {
      return { ok: true, value: await item.work(trx) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** Runs a command of a batch without a savepoint; `ISOLATE` when its failure left something to undo. */
  async function runUnisolated(trx: Kysely<Database>, item: Pending<S>): Promise<Settlement> {
    const before = options.rowsChanged();
    try {
      return { ok: true, value: await item.work(trx) };
    } catch (error) {
      if (policy.isRefusal(error) && options.rowsChanged() === before) return { ok: false, error };
      throw ISOLATE;
    }
  }

  async function runInSavepoint(trx: Kysely<Database>, item: Pending<S>): Promise<Settlement> {
    await sql`savepoint command`.execute(trx);
    try {
      const value = await item.work(trx);
      await sql`release savepoint command`.execute(trx);
      return { ok: true, value };
    } catch (error) {
      await sql`rollback to savepoint command`.execute(trx);
      await sql`release savepoint command`.execute(trx);
      return { ok: false, error };
    }
  }

  /** Runs one batch in one transaction; returns the commands to run again. */
  async function commitBatch(batch: Pending<S>[], isolated = false): Promise<Pending<S>[]> {
    if (!isolated) options.onBatch?.(batch.length);
    const run = batch.length === 1 ? runAlone : isolated ? runInSavepoint : runUnisolated;
    let settlements: Settlement[] = [];
    let sealed: S | undefined;
    try {
      await engine.writeTransaction(db, async (trx) => {
        settlements = [];
        sealed = undefined;
        for (const item of batch) settlements.push(await run(trx, item));
        if (batch.length === 1 && !settlements[0]!.ok) throw ROLL_BACK;
        const values = settlements.flatMap((settlement) => (settlement.ok ? [settlement.value] : []));
        if (options.sealer?.needed(values)) sealed = await options.sealer.seal(trx);
      });
    } catch (err) {
      if (err === ISOLATE) return commitBatch(batch, true);
      if (err !== ROLL_BACK) {
        // The transaction itself failed (the lock was not had, or the commit failed): nothing of it stands.
        const failure = engine.classifyError(err);
        if (failure && policy.isRetried(failure)) return retryOrGiveUp(batch);
        for (const item of batch) item.reject(failure ? policy.errorOf(failure) : err);
        return [];
      }
    }
    const again: Pending<S>[] = [];
    settlements.forEach((settlement, index) => {
      const item = batch[index]!;
      if (settlement.ok) return item.resolve(settlement.value, sealed);
      const failure = engine.classifyError(settlement.error);
      if (failure && policy.isRetried(failure)) again.push(...retryOrGiveUp([item]));
      else item.reject(failure ? policy.errorOf(failure) : settlement.error);
    });
    return again;
  }

  function retryOrGiveUp(items: Pending<S>[]): Pending<S>[] {
    return items.filter((item) => {
      item.attempts++;
      if (item.attempts < options.maxAttempts) return true;
      item.reject(policy.busyError());
      return false;
    });
  }

  /**
   * Lets the event loop turn twice before a batch starts: better-sqlite3 never yields during a batch, so
   * requests still being parsed or verifying their tokens would otherwise always miss the batch about to run,
   * and batches would stay at one command. Measured over HTTP with 32 connections: 1.0 command per batch
   * with no turn, 15.8 with one, 27.5 with two, 28.8 with three (decision 0015).
   */
  async function gather(): Promise<void> {
    for (let turn = 0; turn < GATHER_TURNS; turn++) await new Promise((resolve) => setImmediate(resolve));
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) {
        await gather();
        const again = await commitBatch(queue.splice(0, options.maxBatch));
        if (again.length === 0) continue;
        // Jittered exponential backoff, so that processes that collided do not collide again in step.
        const attempts = Math.max(...again.map((item) => item.attempts));
        await sleep(Math.random() * Math.min(200, 5 * 2 ** attempts));
        queue.unshift(...again);
      }
    } finally {
      draining = false;
    }
  }

  return {
    /** Runs `work` in a locked write transaction shared with other commands; resolves once it is durable. */
    submit<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, attempts: 0, resolve: (value) => resolve(value as T), reject });
        if (!draining) void drain();
      });
    },

    /** As `submit`, also resolving to what the sealer signed for the batch (undefined when it signed nothing). */
    submitSealed<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<{ value: T; sealed: S | undefined }> {
      return new Promise((resolve, reject) => {
        queue.push({ work, attempts: 0, resolve: (value, sealed) => resolve({ value: value as T, sealed }), reject });
        if (!draining) void drain();
      });
    },
  };
}
