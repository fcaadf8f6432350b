// The one module that knows the database is PostgreSQL: the pool, int8 as bigint, the ledger lock (the
// one-row ledger_head locked FOR UPDATE), SQLSTATE codes, and PL/pgSQL append-only triggers.
import { createRequire } from 'node:module';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import type { Engine, StorageFailure } from './engine.js';
import type { Invariant } from './invariants.js';
import type { Database } from './schema.js';

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

// `pg` is loaded only when a PostgreSQL URL is opened: a SQLite server does not carry its ~15 MB (decision 0046).
const loadPg = () => createRequire(import.meta.url)('pg') as typeof pg;

// Integers come back as bigint, as better-sqlite3's safe integers do, so that fen never pass through a float.
const INTEGER_OIDS = new Set([20, 21, 23]);
const typesOf = (driver: typeof pg) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    INTEGER_OIDS.has(oid) && format !== 'binary'
      ? (value: string) => BigInt(value)
      : driver.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
});

/** The URL with the engine's own session settings added to whatever `options` it already carries. */
function withSessionOptions(url: string, lockTimeoutMs: number): string {
  const parsed = new URL(url);
  // lock_timeout: a writer that waits this long for the ledger lock gives up, and the unit of work retries.
  const options = [parsed.searchParams.get('options') ?? '', `-c lock_timeout=${lockTimeoutMs}`].join(' ').trim();
  parsed.searchParams.set('options', options);
  return parsed.toString();
}

export function createPostgresKysely(url: string, options: { poolSize?: number; lockTimeoutMs?: number } = {}): Kysely<Database> {
  const driver = loadPg();
  const pool = new driver.Pool({
    connectionString: withSessionOptions(url, options.lockTimeoutMs ?? 2000),
    max: options.poolSize ?? 10,
    types: typesOf(driver),
  });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

const sqlState = (err: unknown) => (typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '');
const field = (err: unknown, name: 'table' | 'constraint') =>
  typeof err === 'object' && err !== null && name in err ? String((err as Record<string, unknown>)[name]) : undefined;

export const postgresEngine: Engine = {
  name: 'postgres',
  booleanType: 'boolean',
  serialType: 'bigserial',

  async writeTransaction(db, work) {
    // Blnk's design rather than Formance's advisory lock: the lock is the row that holds the chain head, so
    // it is visible in the schema and pg_locks, and works through any pooler (decision 0010).
    return db.transaction().execute(async (trx) => {
      await sql`select seq from ledger_head where id = 1 for update`.execute(trx);
      return work(trx);
    });
  },

  classifyError(err): StorageFailure | undefined {
    switch (sqlState(err)) {
      case '40001': // serialization_failure
      case '40P01': // deadlock_detected
      case '55P03': // lock_not_available (lock_timeout)
        return { kind: 'busy' };
      case '23505':
        return { kind: 'unique', table: field(err, 'table') };
      case '23514':
        return { kind: 'invariant', name: field(err, 'constraint') ?? 'unknown' };
      case '22003': // numeric_value_out_of_range
        return { kind: 'out_of_range' };
      default:
        return undefined;
    }
  },

  // Named, because kysely otherwise takes a migration table in any schema of the database for its own
  // (two ledgers, or two test runs, in separate schemas of one database).
  async migrationSchema(db) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    return rows[0]?.schema;
  },

  isInteger: () => 'true',

  async createAppendOnlyTriggers(db, table) {
    await sql
      .raw(
        `CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
          `BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`,
      )
      .execute(db);
    for (const operation of ['update', 'delete'] as const)
      await sql
        .raw(`CREATE TRIGGER ${table}_no_${operation} BEFORE ${operation.toUpperCase()} ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_append_only()`)
        .execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()`).execute(db);
  },

  // The table names resolve through the search_path of the migration (the ledger's schema), not the caller's.
  // "Appended in this transaction" is checked as "after the old head, up to the last entry, none missing":
  // writers hold the head row's lock, and an xmin test would miss entries inserted under a group commit's savepoints.
  async createLedgerHeadGuard(db) {
    await sql
      .raw(
        `CREATE FUNCTION ledger_head_guard() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$ BEGIN ` +
          `IF TG_OP IN ('DELETE', 'TRUNCATE') THEN RAISE EXCEPTION 'ledger_head cannot be deleted: it holds the chain head'; END IF; ` +
          `IF TG_OP = 'INSERT' THEN RAISE EXCEPTION 'ledger_head holds one row: no other can be inserted'; END IF; ` +
          `IF NEW.id IS DISTINCT FROM OLD.id THEN RAISE EXCEPTION 'ledger_head: the id of its row cannot change'; END IF; ` +
          `IF NEW.seq <= OLD.seq THEN RAISE EXCEPTION 'ledger_head moves forward only: not from seq % to %', OLD.seq, NEW.seq; END IF; ` +
          `IF NOT EXISTS (SELECT 1 FROM ledger_entries WHERE seq = NEW.seq AND hash = NEW.hash) THEN ` +
          `RAISE EXCEPTION 'ledger_head must name an entry: no entry has seq % and hash %', NEW.seq, NEW.hash; END IF; ` +
          `IF EXISTS (SELECT 1 FROM ledger_entries WHERE seq > NEW.seq) THEN ` +
          `RAISE EXCEPTION 'ledger_head must be the last entry: entries follow seq %', NEW.seq; END IF; ` +
          `IF (SELECT count(*) FROM ledger_entries WHERE seq > OLD.seq AND seq <= NEW.seq) <> NEW.seq - OLD.seq THEN ` +
          `RAISE EXCEPTION 'ledger_head may pass only over existing entries: one after seq % up to % is missing', OLD.seq, NEW.seq; END IF; ` +
          `RETURN NEW; END $$`,
      )
      .execute(db);
    for (const statement of [
      'CREATE TRIGGER ledger_head_no_delete BEFORE DELETE ON ledger_head FOR EACH ROW EXECUTE FUNCTION ledger_head_guard()',
      'CREATE TRIGGER ledger_head_no_insert BEFORE INSERT ON ledger_head FOR EACH ROW EXECUTE FUNCTION ledger_head_guard()',
      'CREATE TRIGGER ledger_head_no_truncate BEFORE TRUNCATE ON ledger_head FOR EACH STATEMENT EXECUTE FUNCTION ledger_head_guard()',
      'CREATE TRIGGER ledger_head_forward_only BEFORE UPDATE ON ledger_head FOR EACH ROW EXECUTE FUNCTION ledger_head_guard()',
    ])
      await sql.raw(statement).execute(db);
  },

  async createInvariants(db, table, invariants: Invariant[]) {
    for (const invariant of invariants)
      await sql.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${invariant.name} CHECK (${invariant.check((column) => column)})`).execute(db);
  },
};
