import { createHash } from 'node:crypto';

// The RFC 9162 §2.1 Merkle tree over the ledger: leaf i is the entry with seq i + 1. Proofs are built from
// stored perfect subtrees (a node at `level` l and `index` i covers leaves [i·2^l, (i+1)·2^l)), never from
// the whole ledger.

export interface NodeRef {
  level: number;
  index: number;
}

/**
 * Reads one stored perfect-subtree hash; proofs are computed against a getter so that they can be planned. A
 * getter over committed leaves may carry `ranges`, where the hashes of other ranges are remembered: they never
 * change either, and every receipt of a group commit needs the same ones on the tree's right edge.
 */
export type NodeGetter = ((level: number, index: number) => Buffer) & { ranges?: RangeMemo; planning?: true };

/** Hashes of ranges of leaves by `start+size` (a Map will do). */
export interface RangeMemo {
  get(key: string): Buffer | undefined;
  set(key: string, hash: Buffer): unknown;
}

const sha256 = (...parts: Buffer[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) = SHA-256() */
export const EMPTY_ROOT = sha256();

/** SHA-256(0x00 ‖ the 32 bytes of the entry's hash). */
export function leafHash(entryHashHex: string): Buffer {
  const bytes = Buffer.from(entryHashHex, 'hex');
  if (bytes.length !== 32) throw new Error(`an entry hash must be 32 bytes of hex, not ${JSON.stringify(entryHashHex)}`);
  return sha256(LEAF_PREFIX, bytes);
}

export function interiorHash(left: Buffer, right: Buffer): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/** The largest power of two smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2(n) when n is a power of two, else -1: exact integer steps on a count of entries (never money, never a float log). */
function perfectLevel(n: number): number {
  let level = 0;
  while (2 ** level < n) level++;
  return n > 0 && 2 ** level === n ? level : -1;
}

/**
 * The nodes an append of leaf `index` completes: the leaf itself and, while the new node is a right child,
 * its parent. `lefts` are the stored left siblings it needs (at most log2 n, one on average).
 */
export function appendPlan(index: number): { lefts: NodeRef[] } {
  const lefts: NodeRef[] = [];
  for (let level = 0, at = index; at % 2 === 1; level++, at = Math.floor(at / 2)) lefts.push({ level, index: at - 1 });
  return { lefts };
}

/** The node rows an append stores, given the leaf hash and the left siblings `appendPlan` named, in order. */
export function appendedNodes(index: number, leaf: Buffer, lefts: Buffer[]): { level: number; index: number; hash: Buffer }[] {
  const rows = [{ level: 0, index, hash: leaf }];
  let hash = leaf;
  let at = index;
  lefts.forEach((left, level) => {
    hash = interiorHash(left, hash);
    at = Math.floor(at / 2);
    rows.push({ level: level + 1, index: at, hash });
  });
  return rows;
}

/** MTH(D[start : start + size]) from stored perfect subtrees. */
function rangeHash(get: NodeGetter, start: number, size: number): Buffer {
  const level = perfectLevel(size);
  if (level >= 0 && start % size === 0) return get(level, start / size);
  const k = splitPoint(size);
  // Planning only names the stored nodes a computation reads: nothing to hash yet.
  if (get.planning) return (rangeHash(get, start, k), rangeHash(get, start + k, size - k));
  const key = `${start}+${size}`;
  const known = get.ranges?.get(key);
  if (known) return known;
  const hash = interiorHash(rangeHash(get, start, k), rangeHash(get, start + k, size - k));
  get.ranges?.set(key, hash);
  return hash;
}

/** The root hash of the tree of the first `size` leaves. */
export function rootOf(get: NodeGetter, size: number): Buffer {
  return size === 0 ? EMPTY_ROOT : rangeHash(get, 0, size);
}

/** PATH(m, D[start : start + size]) of RFC 9162 §2.1.3.1, leaf to root. */
function path(get: NodeGetter, m: number, start: number, size: number): Buffer[] {
  if (size <= 1) return [];
  const k = splitPoint(size);
  return m < k ? [...path(get, m, start, k), rangeHash(get, start + k, size - k)] : [...path(get, m - k, start + k, size - k), rangeHash(get, start, k)];
}

/** The inclusion proof of leaf `index` (0-based) in the tree of `size` leaves. */
export function inclusionPath(get: NodeGetter, index: number, size: number): Buffer[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  return path(get, index, 0, size);
}

/** SUBPROOF(m, D[start : start + size], b) of RFC 9162 §2.1.4.1. */
function subproof(get: NodeGetter, m: number, start: number, size: number, complete: boolean): Buffer[] {
  if (m === size) return complete ? [] : [rangeHash(get, start, size)];
  const k = splitPoint(size);
  return m <= k
    ? [...subproof(get, m, start, k, complete), rangeHash(get, start + k, size - k)]
    : [...subproof(get, m - k, start + k, size - k, false), rangeHash(get, start, k)];
}

/** The consistency proof between the trees of `from` and `to` leaves (0 < from ≤ to; empty when equal). */
export function consistencyPath(get: NodeGetter, from: number, to: number): Buffer[] {
  if (!(from > 0 && from <= to)) throw new RangeError(`no consistency proof from ${from} to ${to}`);
  return subproof(get, from, 0, to, true);
}

const refKey = (level: number, index: number) => `${level}:${index}`;

/**
 * Runs `compute` twice: once to learn which stored nodes it reads (which does not depend on their hashes),
 * then, after `fetch` has read them all in one go, for real.
 */
export async function withStoredNodes<T>(
  fetch: (refs: NodeRef[]) => Promise<Map<string, Buffer>>,
  compute: (get: NodeGetter) => T,
  ranges?: RangeMemo,
): Promise<T> {
  const wanted = new Map<string, NodeRef>();
  const placeholder = Buffer.alloc(32);
  const planning = (level: number, index: number) => {
    wanted.set(refKey(level, index), { level, index });
    return placeholder;
  };
  compute(Object.assign(planning, { planning: true as const }));
  const nodes = wanted.size === 0 ? new Map<string, Buffer>() : await fetch([...wanted.values()]);
  const get = (level: number, index: number) => {
    const hash = nodes.get(refKey(level, index));
    if (!hash) throw new Error(`the Merkle tree has no stored node at level ${level}, index ${index}`);
    return hash;
  };
  return compute(ranges ? Object.assign(get, { ranges }) : get);
}

export { refKey as nodeKey };
