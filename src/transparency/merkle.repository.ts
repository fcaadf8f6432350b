import type { AppendObserver } from '../ledger/ledger.writer.js';
import type { Kysely } from 'kysely';
import { preparedRows } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { appendedNodes, appendPlan, leafHash, type NodeRef, nodeKey } from './merkle.js';

type Executor = Kysely<Database>;

type NodeKey = { level: bigint; idx: bigint };
// An append reads at most one node per level and writes one more than it reads, and a proof reads at most two per
// level: compiled once per count (decision 0036).
const MAX_LEVELS = 64;
const selectNodes = preparedRows<NodeKey, { level: bigint; idx: bigint; hash: string }>(
  (db, refs) =>
    db
      .selectFrom('merkle_nodes')
      .select(['level', 'idx', 'hash'])
      .where((eb) => eb.or(refs.map((ref) => eb.and([eb('level', '=', ref.level), eb('idx', '=', ref.idx)])))),
  ['level', 'idx'],
  2 * MAX_LEVELS,
);
const insertNodes = preparedRows<NodeKey & { hash: string }, never>(
  (db, rows) => db.insertInto('merkle_nodes').values(rows),
  ['level', 'idx', 'hash'],
  MAX_LEVELS,
);

/** Reads the named nodes in one query: a map from `level:index` to hash. */
export async function readNodes(db: Executor, refs: NodeRef[]): Promise<Map<string, Buffer>> {
  const nodes = new Map<string, Buffer>();
  if (refs.length === 0) return nodes;
  const result = await selectNodes(
    db,
    refs.map((ref) => ({ level: BigInt(ref.level), idx: BigInt(ref.index) })),
  );
  for (const row of result.rows) nodes.set(nodeKey(Number(row.level), Number(row.idx)), Buffer.from(row.hash, 'hex'));
  return nodes;
}

/**
 * Adds the entry with `seq` as leaf seq − 1 and stores every subtree it completes, in the caller's transaction:
 * one read of the left siblings (none for an even leaf) and one insert, O(log n) at worst.
 */
export async function appendLeaf(db: Executor, seq: number, entryHash: string): Promise<void> {
  const index = seq - 1;
  const { lefts } = appendPlan(index);
  const stored = await readNodes(db, lefts);
  const leftHashes = lefts.map((ref) => {
    const hash = stored.get(nodeKey(ref.level, ref.index));
    if (!hash) throw new Error(`the Merkle tree lacks node ${ref.level}/${ref.index} that leaf ${index} completes`);
    return hash;
  });
  const rows = appendedNodes(index, leafHash(entryHash), leftHashes);
  await insertNodes(
    db,
    rows.map((row) => ({ level: BigInt(row.level), idx: BigInt(row.index), hash: row.hash.toString('hex') })),
  );
}

/** The ledger writer's observer: the tree grows in the entry's transaction, so a committed entry is always a leaf (decision 0025). */
export const growTree: AppendObserver = (trx, entry) => appendLeaf(trx, entry.seq, entry.hash);
