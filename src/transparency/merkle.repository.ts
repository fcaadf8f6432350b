import type { AppendObserver } from '../ledger/ledger.writer.js';
import type { Kysely } from 'kysely';
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
  await db
    .insertInto('merkle_nodes')
    .values(rows.map((row) => ({ level: BigInt(row.level), idx: BigInt(row.index), hash: row.hash.toString('hex') })))
    .execute();
}

/** The ledger writer's observer: the tree grows in the entry's transaction, so a committed entry is always a leaf (decision 0025). */
export const growTree: AppendObserver = (trx, entry) => appendLeaf(trx, entry.seq, entry.hash);
