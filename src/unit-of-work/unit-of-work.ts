import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { type Db, engineOf, rowsChangedIn } from '../db/database.js';
import type { StorageFailure } from '../db/engine.js';
import { isRangeInvariant } from '../db/invariants.js';
import type { Database } from '../db/schema.js';
import { deleteIdempotencyKey, findIdempotencyKey, purgeIdempotencyKeys, saveIdempotencyKey } from '../idempotency/idempotency.repository.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import type { AppendCollector } from '../ledger/appended.js';
import type { LedgerEntry } from '../ledger/ledger.types.js';
import { createGroupCommitter } from './group-commit.js';

/** An Idempotency-Key as the caller sent it, scoped to the caller's whole identity, with a fingerprint of the request. */
export interface IdempotencyRequest {
  caller: string;
  key: string;
  fingerprint: string;
}

/** What every write use case receives besides its input: who acts, and the idempotency key if any. */
export interface CommandContext<A extends Actor = Actor> {
  actor: A;
  idempotency?: IdempotencyRequest;
}

export interface CommandResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * A write use case in two steps, both run under the ledger lock: `authorize` loads what the caller's authority
 * depends on and refuses if it does not suffice; only then is a stored outcome of the Idempotency-Key replayed,
 * or `execute` decides and records.
 */
export interface Command<A, T> {
  status: number;
  context: CommandContext;
  authorize?: (trx: Kysely<Database>) => Promise<A>;
  execute: (trx: Kysely<Database>, authorized: A) => Promise<T>;
}

/**
 * A concern that completes each write's answer around the group commit, wired in the composition root (the
 * receipts, decision 0026): `stub` marks a command's value with what it appended (stored with its
 * Idempotency-Key outcome); once per batch, when `needsSeal` says so, `seal` signs in the transaction just
 * before the commit; `complete` finishes each answer, a replayed one included, with what was sealed.
 */
export interface AnswerDecorator<S> {
  stub<T>(value: T, appended: readonly LedgerEntry[]): T;
  needsSeal(values: unknown[]): boolean;
  seal(trx: Kysely<Database>): Promise<S>;
  complete<T>(result: CommandResult<T>, sealed: S | undefined): Promise<CommandResult<T>>;
}

export interface UnitOfWorkOptions<S> {
  clock: Clock;
  idempotencyRetentionDays: number;
  /** Attempts in all, the first included, before contention is reported as `busy`. */
  maxAttempts?: number;
  /** Told the number of commands in each transaction the group committer runs (for metrics). */
  onBatch?: (size: number) => void;
  /** Completes each write's answer (receipts); scripts without a signing key have none. */
  answers?: AnswerDecorator<S> | undefined;
  /** What each command appended, for its answer; wired to the ledger writer in the composition root. */
  appends?: AppendCollector | undefined;
}

const DAY_MS = 86_400_000;

/** Commands per shared transaction at most, so that one commit never holds the lock for long. */
const MAX_BATCH = 64;

/** Seconds a client is told to wait after `busy`. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/** Conflicts that a rerun resolves: another writer's append, or the same Idempotency-Key committed meanwhile. */
const RETRIED_UNIQUE_TABLES = new Set(['ledger_entries', 'ledger_head', 'ledger_postings', 'idempotency_keys']);

/** The 409 a unique index means, when a rule that should have caught it first did not (a race it lost). */
const UNIQUE_CONFLICTS: Record<string, { code: string; field: string; message: string }> = {
  contracts: { code: 'duplicate_contract', field: 'number', message: 'this contract number is already registered by this provider' },
  redemptions: { code: 'duplicate_invoice', field: 'invoiceNumber', message: 'this invoice number was already used: it is unique nationwide' },
  watchlist: { code: 'already_listed', field: 'uscc', message: 'this region already lists this enterprise' },
};

const isRetried = (failure: StorageFailure) => failure.kind === 'busy' || (failure.kind === 'unique' && RETRIED_UNIQUE_TABLES.has(failure.table ?? ''));

function domainErrorOf(failure: StorageFailure): DomainError {
  switch (failure.kind) {
    case 'busy':
      return new DomainError('busy', 'the ledger is busy with other writes; retry the same request shortly', { retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS });
    case 'unique': {
      const conflict = UNIQUE_CONFLICTS[failure.table ?? ''];
      return conflict
        ? new DomainError(conflict.code, conflict.message, { field: conflict.field })
        : new DomainError('conflict', 'the request conflicts with a concurrent write; read the current state and retry');
    }
    case 'out_of_range':
      return new DomainError('amount_out_of_range', 'the operation would take an amount or balance beyond ±(2^63−1) fen');
    case 'invariant':
      return isRangeInvariant(failure.name)
        ? new DomainError('amount_out_of_range', `the operation would take an amount or balance beyond ±(2^63−1) fen (${failure.name})`)
        : new DomainError('invariant_violated', `the operation would break the ledger invariant ${failure.name}`);
  }
}

/**
 * One unit of work: begins the transaction, takes the ledger lock before any business read, runs the command,
 * handles the Idempotency-Key, commits, and reruns the whole command a bounded number of times on contention.
 * The outcome of a first run is stored with its writes, so both commit or neither does; failures are not stored.
 * Concurrent commands share one transaction and one commit (group commit, `group-commit.ts`).
 */
export function createUnitOfWork<S = never>(db: Db, options: UnitOfWorkOptions<S>) {
  const engine = engineOf(db);
  const retentionMs = options.idempotencyRetentionDays * DAY_MS;

  const committer = createGroupCommitter(
    db,
    engine,
    { isRefusal: (error) => error instanceof DomainError, isRetried, errorOf: domainErrorOf, busyError: () => domainErrorOf({ kind: 'busy' }) },
    {
      rowsChanged: () => rowsChangedIn(db),
      maxAttempts: options.maxAttempts ?? 8,
      maxBatch: MAX_BATCH,
      onBatch: options.onBatch,
      sealer: options.answers && { needed: options.answers.needsSeal, seal: options.answers.seal },
    },
  );

  /** Runs `work` in a locked write transaction (shared with concurrent commands), rerun on contention. */
  function transact<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return committer.submit(work);
  }

  async function run<A, T>(command: Command<A, T>): Promise<CommandResult<T>> {
    const { value: result, sealed } = await committer.submitSealed<CommandResult<T>>(async (trx) => {
      const authorized = command.authorize ? await command.authorize(trx) : (undefined as A);
      const idempotency = command.context.idempotency;
      const now = options.clock.now();
      if (idempotency) {
        const prior = await findIdempotencyKey(trx, idempotency.caller, idempotency.key);
        const live = prior && Date.parse(prior.createdAt) > now.getTime() - retentionMs;
        if (prior && !live) await deleteIdempotencyKey(trx, idempotency.caller, idempotency.key);
        if (prior && live && prior.fingerprint !== idempotency.fingerprint)
          throw new DomainError('idempotency_conflict', 'this Idempotency-Key was already used with a different request', { field: 'Idempotency-Key' });
        if (prior && live) return { status: prior.status, body: JSON.parse(prior.body) as T, replayed: true };
      }
      const execute = () => command.execute(trx, authorized);
      const executed = options.appends ? await options.appends.collect(trx, execute) : { value: await execute(), appended: [] };
      const body = options.answers ? options.answers.stub(executed.value, executed.appended) : executed.value;
      if (idempotency)
        await saveIdempotencyKey(trx, idempotency.caller, idempotency.key, {
          fingerprint: idempotency.fingerprint,
          status: command.status,
          body: JSON.stringify(body),
          createdAt: now.toISOString(),
        });
      return { status: command.status, body, replayed: false };
    });
    return options.answers ? options.answers.complete(result, sealed) : result;
  }

  return {
    run,
    transact,

    /** Removes Idempotency-Keys older than the retention; returns how many. */
    async purgeExpiredKeys(): Promise<number> {
      const cutoff = new Date(options.clock.now().getTime() - retentionMs).toISOString();
      return purgeIdempotencyKeys(db, cutoff);
    },
  };
}

export type UnitOfWork = ReturnType<typeof createUnitOfWork<unknown>>;
