import type { AppendObserver } from '../ledger/ledger.writer.js';
import type { Kysely } from 'kysely';
import { preparedRows } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { appendedNodes, appendPlan, leafHash, type NodeRef, nodeKey } from './merkle.js';

type Executor = Kysely<Database>;

/** Reads the named nodes in one query: a map from `level:index` to hash. */
export async function readNodes(db: Executor, refs: NodeRef[]): Promise<Map<string, Buffer>> {
  const nodes = new Map<string, Buffer>();
  if (refs.length === 0) return nodes;
  const byLevel = new Map<number, bigint[]>();
  for (const ref of refs) byLevel.set(ref.level, [...(byLevel.get(ref.level) ?? []), BigInt(ref.index)]);
  const rows = await db
    .selectFrom('merkle_nodes')
    .select(['level', 'idx', 'hash'])
    .where((eb) => eb.or([...byLevel].map(([level, indexes]) => eb.and([eb('level', '=', BigInt(level)), eb('idx', 'in', indexes)]))))
    .execute();
  for (const row of rows) nodes.set(nodeKey(Number(row.level), Number(row.idx)), Buffer.from(row.hash, 'hex'));
  return nodes;
}

/**
 * Adds the entry with `seq` as leaf seq − 1 and stores every subtree it completes, in the caller's transaction:
 * one read of the left siblings (none for an even leaf) and one insert, O(log n) at worst.
 */
type NodeKey = { level: bigint; idx: bigint };
// An append reads at most one node per level and writes one more than it reads: compiled once per count (decision 0036).
const MAX_LEVELS = 64;
const selectNodes = preparedRows<NodeKey, { level: bigint; idx: bigint; hash: string }>(
  (db, refs) =>
    db
      .selectFrom('merkle_nodes')
      .select(['level', 'idx', 'hash'])
      .where((eb) => eb.or(refs.map((ref) => eb.and([eb('level', '=', ref.level), eb('idx', '=', ref.idx)])))),
  ['level', 'idx'],
  MAX_LEVELS,
);
const insertNodes = preparedRows<NodeKey & { hash: string }, never>((db, rows) => db.insertInto('merkle_nodes').values(rows), ['level', 'idx', 'hash'], MAX_LEVELS);

export async function appendLeaf(db: Executor, seq: number, entryHash: string): Promise<void> {
  const index = seq - 1;
  const { lefts } = appendPlan(index);
  const stored = new Map<string, Buffer>();
  if (lefts.length > 0)
    for (const row of (await selectNodes(db, lefts.map((ref) => ({ level: BigInt(ref.level), idx: BigInt(ref.index) })))).rows)
      stored.set(nodeKey(Number(row.level), Number(row.idx)), Buffer.from(row.hash, 'hex'));
  const leftHashes = lefts.map((ref) => {
    const hash = stored.get(nodeKey(ref.level, ref.index));
    if (!hash) throw new Error(`the Merkle tree lacks node ${ref.level}/${ref.index} that leaf ${index} completes`);
    return hash;
  });
  const rows = appendedNodes(index, leafHash(entryHash), leftHashes);
  await insertNodes(db, rows.map((row) => ({ level: BigInt(row.level), idx: BigInt(row.index), hash: row.hash.toString('hex') })));
}

/** The ledger writer's observer: the tree grows in the entry's transaction, so a committed entry is always a leaf (decision 0025). */
export const growTree: AppendObserver = (trx, entry) => appendLeaf(trx, entry.seq, entry.hash);
