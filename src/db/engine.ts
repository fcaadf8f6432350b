import type { Kysely } from 'kysely';
import type { Invariant } from './invariants.js';
import type { Database } from './schema.js';

/** What a storage failure means for the unit of work, whichever engine raised it. */
export type StorageFailure =
  /** Lock contention, a serialisation failure or a deadlock: the whole command may be retried. */
  | { kind: 'busy' }
  /** A unique index refused a row; `table` names the table when the engine says. */
  | { kind: 'unique'; table: string | undefined }
  /** A named invariant of `db/invariants.ts` refused a row. */
  | { kind: 'invariant'; name: string }
  /** Arithmetic left the 64-bit integer range. */
  | { kind: 'out_of_range' };

/**
 * Everything that differs between SQLite and PostgreSQL, in one place per engine (`sqlite.ts`, `postgres.ts`):
 * how a write transaction takes the ledger lock, how errors are told apart, and the DDL that is not portable.
 */
export interface Engine {
  readonly name: 'sqlite' | 'postgres';
  /** Runs `work` in one transaction that holds the ledger's write lock before its first read. */
  writeTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  classifyError(err: unknown): StorageFailure | undefined;
  /** The schema kysely's migration tables live in (PostgreSQL: the connection's current schema). */
  migrationSchema(db: Kysely<Database>): Promise<string | undefined>;
  /** Column type for booleans (SQLite has none: 0/1 integers, converted at the adapter). */
  readonly booleanType: 'integer' | 'boolean';
  /** Column type of an auto-numbered primary key. */
  readonly serialType: 'integer' | 'bigserial';
  /** A predicate that `expr` is stored as an integer (PostgreSQL's int8 always is; SQLite may store a REAL). */
  isInteger(expr: string): string;
  createAppendOnlyTriggers(db: Kysely<unknown>, table: string): Promise<void>;
  /**
   * The triggers that keep ledger_head the last entry of the chain: its one row is never deleted nor joined by
   * another, and an update moves it forward only, onto an existing entry, over no gap, to the last one.
   */
  createLedgerHeadGuard(db: Kysely<unknown>): Promise<void>;
  createInvariants(db: Kysely<unknown>, table: string, invariants: Invariant[]): Promise<void>;
}
