import { createHash } from 'node:crypto';

// The verifier's own RFC 9162 Merkle arithmetic: the iterative proof verification algorithms of §2.1.3.2 and
// §2.1.4.2 and a streaming root, written apart from the service's recursive proof construction so that a
// mistake in one is not repeated in the other.

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

export const emptyRoot = (): Buffer => sha256();
export const hashLeaf = (entryHash: Buffer): Buffer => sha256(Buffer.from([0]), entryHash);
export const hashChildren = (left: Buffer, right: Buffer): Buffer => sha256(Buffer.from([1]), left, right);

/** The leaf of an entry whose `hash` is 64 lowercase hex digits. */
export function leafOfEntryHash(hex: string): Buffer {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`entry hash ${JSON.stringify(hex)} is not 64 lowercase hex digits`);
  return hashLeaf(Buffer.from(hex, 'hex'));
}

const odd = (n: bigint) => (n & 1n) === 1n;

/** RFC 9162 §2.1.3.2: whether `path` proves leaf `index` (0-based) under `root` in a tree of `size` leaves. */
export function verifyInclusion(index: bigint, size: bigint, leaf: Buffer, path: Buffer[], root: Buffer): boolean {
  if (index < 0n || index >= size) return false;
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if (odd(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!odd(fn))
        do {
          fn >>= 1n;
          sn >>= 1n;
        } while (!odd(fn) && fn !== 0n);
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

const isPowerOfTwo = (n: bigint) => n > 0n && (n & (n - 1n)) === 0n;

/** RFC 9162 §2.1.4.2: whether `path` proves the tree of `first` leaves (root `firstRoot`) a prefix of `second`'s. */
export function verifyConsistency(first: bigint, second: bigint, firstRoot: Buffer, secondRoot: Buffer, path: Buffer[]): boolean {
  if (first < 1n || first > second) return false;
  if (first === second) return path.length === 0 && firstRoot.equals(secondRoot);
  const proof = isPowerOfTwo(first) ? [firstRoot, ...path] : path;
  if (proof.length === 0) return false;
  let fn = first - 1n;
  let sn = second - 1n;
  while (odd(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = proof[0]!;
  let sr = proof[0]!;
  for (const c of proof.slice(1)) {
    if (sn === 0n) return false;
    if (odd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!odd(fn))
        do {
          fn >>= 1n;
          sn >>= 1n;
        } while (!odd(fn) && fn !== 0n);
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0n;
}

/** The root of a tree fed leaf by leaf, keeping one hash per set bit of the size. */
export class StreamingRoot {
  private readonly stack: { hash: Buffer; size: bigint }[] = [];
  size = 0n;

  add(leaf: Buffer): void {
    let node = { hash: leaf, size: 1n };
    while (this.stack.length > 0 && this.stack.at(-1)!.size === node.size) {
      const left = this.stack.pop()!;
      node = { hash: hashChildren(left.hash, node.hash), size: left.size * 2n };
    }
    this.stack.push(node);
    this.size++;
  }

  root(): Buffer {
    if (this.stack.length === 0) return emptyRoot();
    let root = this.stack.at(-1)!.hash;
    for (let at = this.stack.length - 2; at >= 0; at--) root = hashChildren(this.stack[at]!.hash, root);
    return root;
  }
}
