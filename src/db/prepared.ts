// Queries built and compiled by kysely once per database, then run with new values: building and compiling a
// query cost about three times what running it did on the write path (decision 0036). Repositories use these
// for the statements a write runs every time; the rest build their queries as usual.
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

/** Stands in for a named value while a query is compiled; `row` picks one element of a multi-row parameter. */
class Slot {
  constructor(
    readonly name: string,
    readonly row?: number,
  ) {}
}

/**
 * Slots standing in for the builder's values: the builder sees typed values, kysely sees parameters. With `keys`,
 * a plain object of exactly those keys (what an insert's `values()` needs to enumerate its columns); without,
 * any property read is a slot.
 */
function slotsOf<P>(keys: readonly string[] | undefined, row?: number): P {
  if (keys) return Object.fromEntries(keys.map((key) => [key, new Slot(key, row)])) as P;
  return new Proxy({}, { get: (_target, name) => new Slot(String(name), row) }) as P;
}

type Executor = Kysely<Database>;

/** The compiled query per dialect adapter: one per database (a transaction shares its database's). */
function compiledOnce<R>(build: (db: Executor) => Compilable<R>) {
  const compiled = new WeakMap<object, CompiledQuery<R>>();
  return (db: Executor): CompiledQuery<R> => {
    const adapter = db.getExecutor().adapter;
    let query = compiled.get(adapter);
    if (!query) {
      query = build(db).compile();
      compiled.set(adapter, query);
    }
    return query;
  };
}

function run<R>(db: Executor, query: CompiledQuery<R>, valueOf: (slot: Slot) => unknown): Promise<QueryResult<R>> {
  const parameters = query.parameters.map((value) => (value instanceof Slot ? valueOf(value) : value));
  return db.executeQuery<R>({ ...query, parameters });
}

/**
 * A query with named parameters, e.g. `prepared<{ id: string }, Row>((db, p) => db.selectFrom('t').selectAll().where('id', '=', p.id))`;
 * an insert of `values(p)` names its columns in `keys`.
 */
export function prepared<P extends object, R>(build: (db: Executor, params: P) => Compilable<R>, keys?: readonly (keyof P & string)[]) {
  const compiled = compiledOnce((db) => build(db, slotsOf<P>(keys)));
  return (db: Executor, params: P): Promise<QueryResult<R>> => run(db, compiled(db), (slot) => params[slot.name as keyof P]);
}

/**
 * A query over a list of rows (a multi-row insert), compiled once per number of rows up to `maxRows`, beyond which
 * it is built afresh: one statement per call whatever the engine, so PostgreSQL makes one round trip.
 */
export function preparedRows<Row extends object, R>(build: (db: Executor, rows: Row[]) => Compilable<R>, keys: readonly (keyof Row & string)[], maxRows = 16) {
  const byCount = Array.from({ length: maxRows + 1 }, (_unused, count) =>
    compiledOnce((db) =>
      build(
        db,
        Array.from({ length: count }, (_row, index) => slotsOf<Row>(keys, index)),
      ),
    ),
  );
  return (db: Executor, rows: Row[]): Promise<QueryResult<R>> => {
    const compiled = byCount[rows.length];
    if (!compiled) return db.executeQuery(build(db, rows));
    return run(db, compiled(db), (slot) => rows[slot.row!]![slot.name as keyof Row]);
  };
}

/** The first row of a result, as kysely's executeTakeFirst gives it. */
export const firstRow = <R>(result: QueryResult<R>): R | undefined => result.rows[0];

/** The rows a write changed, as kysely's numUpdatedRows / numInsertedOrUpdatedRows give them. */
export const changedRows = (result: QueryResult<unknown>): bigint => result.numAffectedRows ?? 0n;
