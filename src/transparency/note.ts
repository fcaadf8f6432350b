import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

// C2SP signed-note (https://c2sp.org/signed-note) and tlog-checkpoint (https://c2sp.org/tlog-checkpoint) as the
// service writes them, and the tlog-cosignature (https://c2sp.org/tlog-cosignature) lines it accepts.

/** Signature types: 0x01 an Ed25519 note signature, 0x04 a timestamped Ed25519 cosignature. */
export const NOTE_ED25519 = 0x01;
export const COSIGNATURE_ED25519 = 0x04;

const EM_DASH = '\u2014';
const NAME = /^[^\s+\u2014]+$/u;

/** The raw 32-byte Ed25519 public key of a private or public key object. */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as { x?: string };
  return Buffer.from(jwk.x ?? '', 'base64url');
}

/** SHA-256(name ‖ "\n" ‖ type ‖ public key)[:4] */
export function keyId(name: string, type: number, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(name, 'utf8')
    .update('\n')
    .update(Buffer.from([type]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** The verifier key string `<name>+<key ID hex>+<base64(type ‖ public key)>`. */
export function verifierKeyString(name: string, type: number, publicKey: Buffer): string {
  return `${name}+${keyId(name, type, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([type]), publicKey]).toString('base64')}`;
}

export interface VerifierKey {
  name: string;
  type: number;
  keyId: Buffer;
  publicKey: Buffer;
  text: string;
}

/** Parses and checks a verifier key string (its key ID must match its name and key). */
export function parseVerifierKey(text: string): VerifierKey {
  const [name, id, material, ...rest] = text.trim().split('+');
  // The base64 material may itself contain '+': re-join what split cut.
  const key = Buffer.from([material, ...rest].join('+'), 'base64');
  if (!name || !NAME.test(name) || !id || !/^[0-9a-f]{8}$/.test(id) || key.length !== 33)
    throw new Error(`${JSON.stringify(text)} is not a verifier key <name>+<key id>+<base64 key>`);
  const type = key[0]!;
  const publicKey = key.subarray(1);
  if (type !== NOTE_ED25519 && type !== COSIGNATURE_ED25519)
    throw new Error(`verifier key ${name} has signature type ${type}, not 1 (Ed25519) or 4 (Ed25519 cosignature)`);
  if (keyId(name, type, publicKey).toString('hex') !== id) throw new Error(`verifier key ${name}: the key ID ${id} does not match its name and key`);
  return { name, type, keyId: Buffer.from(id, 'hex'), publicKey, text: text.trim() };
}

const ed25519PublicKey = (raw: Buffer) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });

/** A signed note: the text (ending in a newline), a blank line, and one line per signature. */
export function signNote(text: string, name: string, privateKey: KeyObject): string {
  if (!text.endsWith('\n')) throw new Error('a note text ends with a newline');
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  const id = keyId(name, NOTE_ED25519, rawPublicKey(privateKey));
  return `${text}\n${EM_DASH} ${name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

export interface SignatureLine {
  name: string;
  keyId: Buffer;
  signature: Buffer;
  line: string;
}

/** Splits a note into its text and signature lines (not verified). */
export function splitNote(note: string): { text: string; signatures: SignatureLine[] } {
  const cut = note.lastIndexOf('\n\n');
  if (cut < 0 || !note.endsWith('\n')) throw new Error('not a signed note: no blank line before the signatures, or no final newline');
  const text = note.slice(0, cut + 1);
  const signatures = note
    .slice(cut + 2, -1)
    .split('\n')
    .map((line) => {
      const match = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/u.exec(line);
      if (!match) throw new Error(`not a note signature line: ${JSON.stringify(line)}`);
      const blob = Buffer.from(match[2]!, 'base64');
      if (blob.length < 5) throw new Error(`the signature of ${match[1]} is too short`);
      return { name: match[1]!, keyId: blob.subarray(0, 4), signature: blob.subarray(4), line };
    });
  return { text, signatures };
}

/** The three lines of a tlog-checkpoint body. */
export function checkpointText(origin: string, treeSize: number, rootHash: Buffer): string {
  return `${origin}\n${treeSize}\n${rootHash.toString('base64')}\n`;
}

export function parseCheckpointText(text: string): { origin: string; treeSize: number; rootHash: Buffer } {
  const [origin, size, root] = text.split('\n');
  const rootHash = Buffer.from(root ?? '', 'base64');
  if (!origin || !size || !/^(0|[1-9][0-9]{0,15})$/.test(size) || rootHash.length !== 32 || rootHash.toString('base64') !== root)
    throw new Error('not a checkpoint: origin, tree size and base64 root hash lines');
  return { origin, treeSize: Number(size), rootHash };
}

/** The message a C2SP Ed25519 cosignature signs. */
export const cosignedMessage = (checkpoint: string, timestamp: bigint) => Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpoint}`, 'utf8');

/** Checks a cosignature line against a witness key; returns its timestamp, or undefined when it does not verify. */
export function verifyCosignature(checkpoint: string, line: SignatureLine, witness: VerifierKey): bigint | undefined {
  if (witness.type !== COSIGNATURE_ED25519 || line.name !== witness.name || !line.keyId.equals(witness.keyId) || line.signature.length !== 72) return undefined;
  const timestamp = line.signature.readBigUInt64BE(0);
  if (timestamp > 2n ** 63n - 1n) return undefined;
  return verify(null, cosignedMessage(checkpoint, timestamp), ed25519PublicKey(witness.publicKey), line.signature.subarray(8)) ? timestamp : undefined;
}
