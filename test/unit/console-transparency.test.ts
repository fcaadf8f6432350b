// The console's own check of the public log (console/src/transparency.ts, WebCrypto only) against the service's
// Merkle tree and notes: every inclusion and consistency proof of trees of 1..20 leaves verifies, a flipped byte
// anywhere does not; a note the service signs verifies with its log key, a changed root or another key does not.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, leafHash, parseLogKey, parseNote, toHex, verifyConsistency, verifyInclusion, verifyNoteSignature } from '../../console/src/transparency.js';
import {
  appendedNodes,
  appendPlan,
  consistencyPath,
  inclusionPath,
  leafHash as serviceLeafHash,
  type NodeGetter,
  rootOf,
} from '../../src/transparency/merkle.js';
import { checkpointText, NOTE_ED25519, rawPublicKey, signNote, verifierKeyString } from '../../src/transparency/note.js';

const MAX = 20;
const entries = Array.from({ length: MAX }, (_, i) =>
  createHash('sha256')
    .update(`entry ${i + 1}`)
    .digest('hex'),
);
const stored = new Map<string, Buffer>();
entries.forEach((entry, index) => {
  const lefts = appendPlan(index).lefts.map((ref) => stored.get(`${ref.level}:${ref.index}`)!);
  for (const node of appendedNodes(index, serviceLeafHash(entry), lefts)) stored.set(`${node.level}:${node.index}`, node.hash);
});
const get: NodeGetter = (level, index) => stored.get(`${level}:${index}`)!;
const bytes = (list: Buffer[]) => list.map((node) => new Uint8Array(node));

/** A copy with one bit of byte `at` of item `which` flipped. */
function flipped(list: Uint8Array[], which: number, at = 0): Uint8Array[] {
  return list.map((node, i) => {
    if (i !== which) return node;
    const copy = node.slice();
    copy[at] = copy[at]! ^ 0x01;
    return copy;
  });
}
const flip = (node: Uint8Array, at = 31) => flipped([node], 0, at)[0]!;

describe('the console verifies the public log as the service builds it', () => {
  it('computes the leaf as the service does: SHA-256(0x00 ‖ entry hash)', async () => {
    for (const entry of entries) expect(toHex(await leafHash(entry))).toBe(serviceLeafHash(entry).toString('hex'));
    await expect(leafHash('abcd')).rejects.toThrow();
  });

  it('verifies every inclusion proof of trees of 1..20 leaves, and none with a byte flipped', async () => {
    for (let size = 1; size <= MAX; size++) {
      const root = new Uint8Array(rootOf(get, size));
      for (let index = 0; index < size; index++) {
        const leaf = await leafHash(entries[index]!);
        const path = bytes(inclusionPath(get, index, size));
        const where = `leaf ${index} of ${size}`;
        expect(await verifyInclusion(index, size, leaf, path, root), where).toBe(true);
        expect(await verifyInclusion(index, size, flip(leaf), path, root), where).toBe(false);
        expect(await verifyInclusion(index, size, leaf, path, flip(root, 0)), where).toBe(false);
        for (let i = 0; i < path.length; i++) expect(await verifyInclusion(index, size, leaf, flipped(path, i, 7), root), `${where} node ${i}`).toBe(false);
        // Another index, or a shorter or longer path, is no proof of this one.
        if (size > 1) expect(await verifyInclusion((index + 1) % size, size, leaf, path, root), where).toBe(false);
        if (path.length) expect(await verifyInclusion(index, size, leaf, path.slice(0, -1), root), where).toBe(false);
        expect(await verifyInclusion(index, size, leaf, [...path, root], root), where).toBe(false);
      }
      expect(await verifyInclusion(size, size, await leafHash(entries[0]!), [], root)).toBe(false);
    }
  });

  it('verifies every consistency proof between trees of 1..20 leaves, and none with a byte flipped', async () => {
    for (let to = 1; to <= MAX; to++) {
      const root2 = new Uint8Array(rootOf(get, to));
      for (let from = 1; from <= to; from++) {
        const root1 = new Uint8Array(rootOf(get, from));
        const path = bytes(consistencyPath(get, from, to));
        const where = `${from} → ${to}`;
        expect(await verifyConsistency(from, to, root1, root2, path), where).toBe(true);
        expect(await verifyConsistency(from, to, flip(root1), root2, path), where).toBe(false);
        expect(await verifyConsistency(from, to, root1, flip(root2, 5), path), where).toBe(false);
        for (let i = 0; i < path.length; i++) expect(await verifyConsistency(from, to, root1, root2, flipped(path, i, 13)), `${where} node ${i}`).toBe(false);
        if (from < to) {
          expect(await verifyConsistency(from, to, root1, root2, []), where).toBe(false);
          expect(await verifyConsistency(to, from, root2, root1, path), where).toBe(false);
        } else {
          expect(await verifyConsistency(from, to, root1, root2, [root1]), where).toBe(false);
        }
      }
    }
  });

  it('checks a note the service signs with its log key, and refuses a changed root, another log or another key', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const origin = 'voucher-ledger.example/log';
    const keyText = verifierKeyString(origin, NOTE_ED25519, rawPublicKey(privateKey));
    const key = await parseLogKey(`${keyText}\n`);
    expect(key).toMatchObject({ name: origin, keyId: keyText.split('+')[1] });

    const root = rootOf(get, 13);
    const noteText = signNote(checkpointText(origin, 13, root), origin, privateKey);
    // A witness's cosignature line after the log's does not disturb it.
    const note = parseNote(`${noteText}\u2014 witness.example AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n`);
    expect({ origin: note.origin, treeSize: note.treeSize, root: toHex(note.root) }).toEqual({ origin, treeSize: 13, root: root.toString('hex') });
    expect(note.text).toBe(checkpointText(origin, 13, root));
    expect(await verifyNoteSignature(note, key)).toBe(true);

    // One byte of the root changed: still a well-formed note, no longer the signed one.
    const forgedRoot = Buffer.from(root);
    forgedRoot[0] = forgedRoot[0]! ^ 0xff;
    const forged = noteText.replace(root.toString('base64'), forgedRoot.toString('base64'));
    expect(await verifyNoteSignature(parseNote(forged), key)).toBe(false);
    expect(await verifyNoteSignature(parseNote(noteText.replace('\n13\n', '\n14\n')), key)).toBe(false);

    const other = generateKeyPairSync('ed25519').privateKey;
    const otherKey = await parseLogKey(verifierKeyString(origin, NOTE_ED25519, rawPublicKey(other)));
    expect(await verifyNoteSignature(note, otherKey)).toBe(false);
    // The right key of another log: its name is not the note's origin.
    const elsewhere = signNote(checkpointText('other.example/log', 13, root), 'other.example/log', privateKey);
    expect(await verifyNoteSignature(parseNote(elsewhere), key)).toBe(false);

    // A key whose id does not match its name and key is refused before any note.
    // The key's base64 may itself hold '+', so only the first two separate fields.
    const [name, keyId] = keyText.split('+', 2);
    const material = keyText.slice(`${name}+${keyId}+`.length);
    await expect(parseLogKey(`${name}+00000000+${material}`)).rejects.toThrow('key id');
    await expect(parseLogKey('not-a-key')).rejects.toThrow();
    expect(() => parseNote('origin\n13\nAAAA\n')).toThrow();
    expect(toHex(fromHex('00ff10'))).toBe('00ff10');
  });
});
