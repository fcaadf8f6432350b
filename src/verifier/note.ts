import { createHash, createPublicKey, verify } from 'node:crypto';

// C2SP signed-note, tlog-checkpoint and tlog-cosignature, read and checked by the verifier on its own.

export interface NoteKey {
  name: string;
  /** 1: the log's Ed25519 note signature; 4: a witness's timestamped Ed25519 cosignature. */
  type: 1 | 4;
  id: Buffer;
  publicKey: Buffer;
}

export function noteKeyId(name: string, type: number, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([type]), publicKey]))
    .digest()
    .subarray(0, 4);
}

/** A verifier key `<name>+<hex key id>+<base64(type ‖ key)>`; the key id must match. */
export function readVerifierKey(text: string): NoteKey {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  const name = text.slice(0, first);
  const id = text.slice(first + 1, second);
  const material = Buffer.from(text.slice(second + 1), 'base64');
  if (first <= 0 || second < 0 || !/^[0-9a-f]{8}$/.test(id) || material.length !== 33 || /[\s\u2014]/u.test(name))
    throw new Error(`not a verifier key: ${text}`);
  const type = material[0];
  if (type !== 1 && type !== 4) throw new Error(`verifier key ${name}: signature type ${type} is not Ed25519 (1) or an Ed25519 cosignature (4)`);
  const publicKey = material.subarray(1);
  if (noteKeyId(name, type, publicKey).toString('hex') !== id) throw new Error(`verifier key ${name}: key id ${id} does not match the key`);
  return { name, type, id: Buffer.from(id, 'hex'), publicKey };
}

/** The log's note keys that a JWKS implies for an origin: each Ed25519 JWK, named by the origin. */
export function logKeysFromJwks(jwks: { keys?: { kty?: string; crv?: string; x?: string }[] }, origin: string): NoteKey[] {
  return (jwks.keys ?? [])
    .filter((key) => key.kty === 'OKP' && key.crv === 'Ed25519' && typeof key.x === 'string')
    .map((key) => {
      const publicKey = Buffer.from(key.x!, 'base64url');
      return { name: origin, type: 1 as const, id: noteKeyId(origin, 1, publicKey), publicKey };
    });
}

export interface SignedNote {
  text: string;
  lines: { name: string; id: Buffer; signature: Buffer }[];
}

export function readNote(note: string): SignedNote {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('not a signed note (text, blank line, signature lines)');
  const lines = note
    .slice(split + 2, -1)
    .split('\n')
    .map((line) => {
      const match = /^\u2014 ([^\s]+) ([A-Za-z0-9+/=]+)$/u.exec(line);
      if (!match) throw new Error(`malformed signature line ${JSON.stringify(line)}`);
      const blob = Buffer.from(match[2]!, 'base64');
      return { name: match[1]!, id: blob.subarray(0, 4), signature: blob.subarray(4) };
    });
  return { text: note.slice(0, split + 1), lines };
}

const publicKeyObject = (raw: Buffer) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });

/** Whether one of the note's lines is a valid Ed25519 note signature by `key`. */
export function signedBy(note: SignedNote, key: NoteKey): boolean {
  return note.lines.some(
    (line) =>
      key.type === 1 &&
      line.name === key.name &&
      line.id.equals(key.id) &&
      line.signature.length === 64 &&
      verify(null, Buffer.from(note.text, 'utf8'), publicKeyObject(key.publicKey), line.signature),
  );
}

/** The timestamp of a valid cosignature by `witness` on the note's checkpoint, if there is one. */
export function cosignedBy(note: SignedNote, witness: NoteKey): bigint | undefined {
  for (const line of note.lines) {
    if (witness.type !== 4 || line.name !== witness.name || !line.id.equals(witness.id) || line.signature.length !== 72) continue;
    const time = line.signature.readBigUInt64BE(0);
    const message = Buffer.from(`cosignature/v1\ntime ${time}\n${note.text}`, 'utf8');
    if (verify(null, message, publicKeyObject(witness.publicKey), line.signature.subarray(8))) return time;
  }
  return undefined;
}

export interface CheckpointNote {
  origin: string;
  size: bigint;
  root: Buffer;
}

/** The first three lines of a tlog-checkpoint body. */
export function readCheckpointBody(text: string): CheckpointNote {
  const lines = text.split('\n');
  const [origin, size, root] = lines;
  if (!origin || !size || !/^(0|[1-9][0-9]*)$/.test(size) || !root) throw new Error('the note is not a checkpoint (origin, tree size, root hash)');
  const hash = Buffer.from(root, 'base64');
  if (hash.length !== 32 || hash.toString('base64') !== root) throw new Error('the checkpoint root hash is not 32 bytes of standard base64');
  return { origin, size: BigInt(size), root: hash };
}
