import { createHash, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendedNodes, appendPlan, consistencyPath, inclusionPath, leafHash, type NodeGetter, rootOf } from '../../src/transparency/merkle.js';
import { checkpointText, NOTE_ED25519, parseVerifierKey, rawPublicKey, signNote, splitNote, verifierKeyString } from '../../src/transparency/note.js';
import { StreamingRoot, verifyConsistency, verifyInclusion } from '../../src/verifier/merkle.js';
import { readCheckpointBody, readNote, readVerifierKey, signedBy } from '../../src/verifier/note.js';

// A straightforward reference: RFC 9162 §2.1 read literally, over the list of leaves, with nothing stored.
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const refLeaf = (data: Buffer) => sha(Buffer.from([0]), data);
const refNode = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r);
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return refLeaf(d[0]!);
  return refNode(mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
}
function refPath(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const split = k(d.length);
  return m < split ? [...refPath(m, d.slice(0, split)), mth(d.slice(split))] : [...refPath(m - split, d.slice(split)), mth(d.slice(0, split))];
}
function refSubproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const split = k(d.length);
  return m <= split
    ? [...refSubproof(m, d.slice(0, split), b), mth(d.slice(split))]
    : [...refSubproof(m - split, d.slice(split), false), mth(d.slice(0, split))];
}

/** Entry hashes 1..count, and the service's stored nodes built append by append. */
function buildTree(count: number) {
  const entries = Array.from({ length: count }, (_, i) => sha(Buffer.from(`entry ${i + 1}`)));
  const stored = new Map<string, Buffer>();
  entries.forEach((entry, index) => {
    const lefts = appendPlan(index).lefts.map((ref) => stored.get(`${ref.level}:${ref.index}`)!);
    for (const node of appendedNodes(index, leafHash(entry.toString('hex')), lefts)) {
      expect(stored.has(`${node.level}:${node.index}`)).toBe(false); // append-only: no node is written twice
      stored.set(`${node.level}:${node.index}`, node.hash);
    }
  });
  const get: NodeGetter = (level, index) => {
    const hash = stored.get(`${level}:${index}`);
    if (!hash) throw new Error(`no node ${level}:${index}`);
    return hash;
  };
  return { entries, stored, get };
}

const hex = (list: Buffer[]) => list.map((b) => b.toString('hex'));

describe('the Merkle tree (RFC 9162 §2.1)', () => {
  const MAX = 70;
  const { entries, stored, get } = buildTree(MAX);

  it('stores 2n − popcount(n) nodes for n leaves: each append adds the leaf and the subtrees it completes', () => {
    const popcount = (n: number) => n.toString(2).replaceAll('0', '').length;
    expect(stored.size).toBe(2 * MAX - popcount(MAX));
    expect(appendPlan(0).lefts).toEqual([]);
    expect(appendPlan(7).lefts).toEqual([
      { level: 0, index: 6 },
      { level: 1, index: 2 },
      { level: 2, index: 0 },
    ]);
  });

  it('agrees with the reference on the root of every tree of 0..70 leaves, and with the verifier streaming root', () => {
    const stream = new StreamingRoot();
    expect(rootOf(get, 0).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (let n = 1; n <= MAX; n++) {
      stream.add(leafHash(entries[n - 1]!.toString('hex')));
      expect(rootOf(get, n).equals(mth(entries.slice(0, n))), `root of ${n}`).toBe(true);
      expect(stream.root().equals(mth(entries.slice(0, n)))).toBe(true);
    }
  });

  it('gives the reference inclusion proof for every (S, N), 1 ≤ S ≤ N ≤ 70, and the verifier accepts each only for its own leaf', () => {
    for (let n = 1; n <= MAX; n++) {
      const tree = entries.slice(0, n);
      const root = mth(tree);
      for (let s = 1; s <= n; s++) {
        const path = inclusionPath(get, s - 1, n);
        expect(hex(path), `PATH(${s}, ${n})`).toEqual(hex(refPath(s - 1, tree)));
        const leaf = refLeaf(tree[s - 1]!);
        expect(verifyInclusion(BigInt(s - 1), BigInt(n), leaf, path, root)).toBe(true);
        // Another leaf, another index, a shorter or longer path, or another root: each fails.
        if (n > 1) expect(verifyInclusion(BigInt(s - 1), BigInt(n), refLeaf(tree[s % n]!), path, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(BigInt(s % n), BigInt(n), leaf, path, root)).toBe(false);
        if (path.length > 0) expect(verifyInclusion(BigInt(s - 1), BigInt(n), leaf, path.slice(0, -1), root)).toBe(false);
        expect(verifyInclusion(BigInt(s - 1), BigInt(n), leaf, [...path, root], root)).toBe(false);
        expect(verifyInclusion(BigInt(s - 1), BigInt(n), leaf, path, refLeaf(root))).toBe(false);
      }
    }
  });

  it('gives the reference consistency proof for every (M, N), 1 ≤ M ≤ N ≤ 70, and the verifier accepts it only for the true roots', () => {
    for (let n = 1; n <= MAX; n++) {
      const second = mth(entries.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const first = mth(entries.slice(0, m));
        const path = consistencyPath(get, m, n);
        expect(hex(path), `PROOF(${m}, ${n})`).toEqual(hex(refSubproof(m, entries.slice(0, n), true)));
        expect(verifyConsistency(BigInt(m), BigInt(n), first, second, path)).toBe(true);
        if (m < n) {
          // A rewritten older tree (its last leaf replaced) is not a prefix of the newer one.
          const rewritten = mth([...entries.slice(0, m - 1), sha(Buffer.from('forged'))]);
          expect(verifyConsistency(BigInt(m), BigInt(n), rewritten, second, path)).toBe(false);
          expect(verifyConsistency(BigInt(m), BigInt(n), first, refLeaf(second), path)).toBe(false);
          expect(verifyConsistency(BigInt(m), BigInt(n), first, second, path.slice(1))).toBe(false);
        }
      }
    }
  });

  it('refuses proofs outside the tree', () => {
    expect(() => inclusionPath(get, 5, 5)).toThrow(RangeError);
    expect(() => consistencyPath(get, 0, 5)).toThrow(RangeError);
    expect(() => consistencyPath(get, 6, 5)).toThrow(RangeError);
    expect(verifyConsistency(0n, 5n, mth([]), mth(entries.slice(0, 5)), [])).toBe(false);
  });
});

describe('C2SP signed notes', () => {
  // The example of golang.org/x/mod/sumdb/note (the reference implementation of the format), byte for byte.
  const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
  const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const NOTE = `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
  const seed = Buffer.from(SKEY.split('+').slice(4).join('+'), 'base64').subarray(1);
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });

  it('the service signs the Go example note exactly as golang.org/x/mod/sumdb/note does, with the same verifier key', () => {
    expect(signNote(TEXT, 'PeterNeumann', privateKey)).toBe(NOTE);
    expect(verifierKeyString('PeterNeumann', NOTE_ED25519, rawPublicKey(privateKey))).toBe(VKEY);
    expect(parseVerifierKey(VKEY).keyId.toString('hex')).toBe('c74f20a3');
    expect(splitNote(NOTE).signatures.map((s) => s.name)).toEqual(['PeterNeumann']);
  });

  it('the verifier accepts the Go note with the Go verifier key, and refuses it altered', () => {
    const key = readVerifierKey(VKEY);
    expect(signedBy(readNote(NOTE), key)).toBe(true);
    expect(signedBy(readNote(NOTE.replace('problem,', 'problem;')), key)).toBe(false);
    expect(() => readVerifierKey(VKEY.replace('c74f20a3', 'c74f20a4'))).toThrow(/key id/);
  });

  it('a checkpoint is origin, tree size and base64 root, one line each', () => {
    const root = mth([sha(Buffer.from('a'))]);
    const text = checkpointText('voucher-ledger/x', 1, root);
    expect(text).toBe(`voucher-ledger/x\n1\n${root.toString('base64')}\n`);
    expect(readCheckpointBody(text)).toEqual({ origin: 'voucher-ledger/x', size: 1n, root });
  });
});
