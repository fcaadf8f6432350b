// The public log checked in the browser (decision 0045), with WebCrypto alone: the log key and a C2SP signed note
// (https://c2sp.org/signed-note, tlog-checkpoint), its Ed25519 signature, and RFC 9162 inclusion and consistency
// proofs. The algorithms are those of docs/examples/verify_log.py, line for line. No imports: the unit tests run
// it in Node against the service's own Merkle tree.

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
/** The signature type of an Ed25519 note key. */
const NOTE_ED25519 = 0x01;

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`not hex: ${JSON.stringify(hex)}`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error(`not base64: ${JSON.stringify(text)}`);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)));
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** SHA-256(0x01 ‖ left ‖ right) */
export const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(NODE_PREFIX), left, right);

/** The entry's leaf: SHA-256(0x00 ‖ the 32 bytes of its hash). */
export async function leafHash(entryHashHex: string): Promise<Uint8Array<ArrayBuffer>> {
  const entry = fromHex(entryHashHex);
  if (entry.length !== 32) throw new Error(`an entry hash is 32 bytes of hex, not ${JSON.stringify(entryHashHex)}`);
  return sha256(Uint8Array.of(LEAF_PREFIX), entry);
}

/** A note verifier key `name+keyid+base64(0x01 ‖ Ed25519 public key)`, its key id checked against its name and key. */
export interface LogKey {
  name: string;
  keyId: string;
  publicKey: Uint8Array<ArrayBuffer>;
  text: string;
}

export async function parseLogKey(text: string): Promise<LogKey> {
  const trimmed = text.trim();
  const [name, keyId, ...material] = trimmed.split('+');
  // The base64 may itself hold '+': what split cut is joined again.
  const raw = fromBase64(material.join('+'));
  if (!name || !keyId || !/^[0-9a-f]{8}$/.test(keyId)) throw new Error(`not a log key name+keyid+base64: ${JSON.stringify(trimmed)}`);
  if (raw[0] !== NOTE_ED25519 || raw.length !== 33) throw new Error('not an Ed25519 note key');
  const expected = toHex((await sha256(utf8(`${name}\n`), raw)).subarray(0, 4));
  if (expected !== keyId) throw new Error('the key id does not match the key');
  return { name, keyId, publicKey: raw.slice(1), text: trimmed };
}

export interface NoteSignature {
  name: string;
  keyId: string;
  signature: Uint8Array<ArrayBuffer>;
}

/** A checkpoint note, parsed but not yet verified. */
export interface Note {
  /** The signed text: everything up to and including the newline before the blank line. */
  text: string;
  origin: string;
  treeSize: number;
  root: Uint8Array<ArrayBuffer>;
  signatures: NoteSignature[];
}

export function parseNote(note: string): Note {
  const cut = note.indexOf('\n\n');
  if (cut < 0) throw new Error('not a signed note: no blank line before the signatures');
  const text = note.slice(0, cut + 1);
  const lines = text.slice(0, -1).split('\n');
  const [origin, size, root] = lines;
  if (lines.length < 3 || !origin || !size || !/^(0|[1-9][0-9]{0,15})$/.test(size) || !root)
    throw new Error('not a checkpoint: origin, tree size and base64 root hash lines');
  const rootHash = fromBase64(root);
  if (rootHash.length !== 32) throw new Error('the root hash is not 32 bytes');
  const signatures = note
    .slice(cut + 2)
    .split('\n')
    .filter((line) => line !== '')
    .flatMap((line) => {
      const [dash, name, blob, ...rest] = line.split(' ');
      if (dash !== '\u2014' || !name || !blob || rest.length) return [];
      const bytes = fromBase64(blob);
      return bytes.length < 5 ? [] : [{ name, keyId: toHex(bytes.subarray(0, 4)), signature: bytes.slice(4) }];
    });
  return { text, origin, treeSize: Number(size), root: rootHash, signatures };
}

/**
 * Whether the note carries the log key's Ed25519 signature over its text (WebCrypto), and is of that log: the key's
 * name must be the note's origin.
 */
export async function verifyNoteSignature(note: Note, key: LogKey): Promise<boolean> {
  if (note.origin !== key.name) return false;
  const line = note.signatures.find((signature) => signature.name === key.name && signature.keyId === key.keyId);
  if (!line || line.signature.length !== 64) return false;
  const publicKey = await crypto.subtle.importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, publicKey, line.signature, utf8(note.text));
}

// Tree sizes and indices are whole numbers below 2^53: halved by division, not by 32-bit shifts.
const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2: whether leaf `index` with hash `leaf` is in the tree of `size` leaves whose root is `root`. */
export async function verifyInclusion(index: number, size: number, leaf: Uint8Array, path: Uint8Array[], root: Uint8Array): Promise<boolean> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/** RFC 9162 §2.1.4.2: whether the tree of `size1` leaves (root `root1`) is a prefix of the tree of `size2` (root `root2`). */
export async function verifyConsistency(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, path: Uint8Array[]): Promise<boolean> {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0) return false;
  if (size1 === size2) return equalBytes(root1, root2) && path.length === 0;
  if (size1 === 0 || size1 > size2) return size1 === 0; // every tree extends the empty one
  let nodes = path;
  if (isPowerOfTwo(size1)) nodes = [root1, ...nodes];
  const [first, ...rest] = nodes;
  if (!first) return false;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = first;
  let sr = first;
  for (const c of rest) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return equalBytes(fr, root1) && equalBytes(sr, root2) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
