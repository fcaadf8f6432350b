import { existsSync, readFileSync, statSync } from 'node:fs';
import { type Entry, expectedHash, shapeProblem } from './entry.js';
import { leafOfEntryHash, verifyConsistency, verifyInclusion } from './merkle.js';
import { type CheckpointNote, cosignedBy, logKeysFromJwks, type NoteKey, readCheckpointBody, readNote, readVerifierKey, signedBy } from './note.js';

// Offline checks of what the transparency log hands out: receipts (an entry's inclusion in a signed tree, the
// entry itself rehashed, the tree extended to a newer one), two checkpoints (the older tree a prefix of the
// newer), and the witnesses' cosignatures on each (decisions 0025–0027, 0045).

export interface TransparencyOptions {
  /** The log's keys: GET /.well-known/jwks.json (each Ed25519 JWK, under the checkpoint's origin). */
  jwks?: { keys?: { kty?: string; crv?: string; x?: string }[] };
  /** The log's note verifier key (GET /v1/public/log-key); it verifies notes whose origin is its name. */
  logKey?: NoteKey;
  /** Witness verifier keys (C2SP, type 0x04) and how many distinct ones must have cosigned. */
  witnessKeys?: NoteKey[];
  requireWitnesses?: number;
}

export interface TransparencyResult {
  ok: boolean;
  /** One line per check, "ok …" or "FAIL …". */
  lines: string[];
}

/** Reads a witness key file: one C2SP verifier key per line (blank lines and # comments skipped). */
export function readWitnessKeys(text: string): NoteKey[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(readVerifierKey);
}

/**
 * The log's verifier key from `--log-key`: the key text itself (`name+keyid+base64`), or a file holding the text
 * of GET /v1/public/log-key or its JSON form ({verifierKey}). It must be a note signing key (type 1).
 */
export function readLogKey(argument: string): NoteKey {
  const isFile = existsSync(argument) && statSync(argument).isFile();
  let text = (isFile ? readFileSync(argument, 'utf8') : argument).trim();
  if (text.startsWith('{')) {
    const verifierKey = (JSON.parse(text) as { verifierKey?: unknown }).verifierKey;
    if (typeof verifierKey !== 'string') throw new Error(`--log-key ${argument}: the JSON has no verifierKey member`);
    text = verifierKey;
  }
  let key: NoteKey;
  try {
    key = readVerifierKey(text);
  } catch (err) {
    throw new Error(`--log-key ${isFile ? argument : 'KEY'}: ${(err as Error).message}${isFile ? '' : ' (neither a file nor a verifier key)'}`);
  }
  if (key.type !== 1) throw new Error(`--log-key: ${key.name} is a witness's cosignature key, not the log's note key`);
  return key;
}

/**
 * The checkpoint note in a file: raw note text (GET /v1/public/checkpoint), the JSON of GET /v1/ledger/checkpoint
 * or of the public routes ({note}), or a receipt. A note saved without its final newline gets it back.
 */
export function noteFromText(text: string): string {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return text.endsWith('\n') ? text : `${text}\n`;
  const json = JSON.parse(trimmed) as { note?: unknown; checkpoint?: unknown; receipt?: { checkpoint?: unknown } };
  const note = json.note ?? json.receipt?.checkpoint ?? json.checkpoint;
  if (typeof note !== 'string') throw new Error('the file holds no checkpoint note (a "note" member, or a receipt\'s "checkpoint")');
  return note;
}

/** Checks the log's signature and the witness quorum on a checkpoint note; returns its body. */
export function checkNote(label: string, note: string, options: TransparencyOptions, lines: string[]): CheckpointNote | undefined {
  let body: CheckpointNote;
  let signed: ReturnType<typeof readNote>;
  try {
    signed = readNote(note);
    body = readCheckpointBody(signed.text);
  } catch (err) {
    lines.push(`FAIL ${label}: ${(err as Error).message}`);
    return undefined;
  }
  const keys = [...(options.logKey?.name === body.origin ? [options.logKey] : []), ...(options.jwks ? logKeysFromJwks(options.jwks, body.origin) : [])];
  if (!keys.some((key) => signedBy(signed, key))) {
    const against = [
      ...(options.logKey ? [`the log key${options.logKey.name === body.origin ? '' : ` (named ${options.logKey.name}, not the note's origin)`}`] : []),
      ...(options.jwks ? ['a key of the JWKS'] : []),
    ];
    lines.push(`FAIL ${label}: no signature of ${body.origin} verifies with ${against.length ? against.join(' or ') : 'any key: give --log-key or --jwks'}`);
    return undefined;
  }
  lines.push(`ok   ${label}: ${body.origin} signed tree size ${body.size}, root ${body.root.toString('hex')}`);
  const required = options.requireWitnesses ?? 0;
  if (required > 0) {
    const cosigners = (options.witnessKeys ?? []).filter((witness) => cosignedBy(signed, witness) !== undefined).map((witness) => witness.name);
    const distinct = [...new Set(cosigners)];
    if (distinct.length < required) {
      lines.push(`FAIL ${label}: ${distinct.length} of the required ${required} witnesses cosigned it${distinct.length ? ` (${distinct.join(', ')})` : ''}`);
      return undefined;
    }
    lines.push(`ok   ${label}: cosigned by ${distinct.length} witnesses (${distinct.join(', ')}), ${required} required`);
  }
  return body;
}

const hashList = (value: unknown, what: string): Buffer[] => {
  if (!Array.isArray(value) || value.some((node) => typeof node !== 'string' || !/^[0-9a-f]{64}$/.test(node)))
    throw new Error(`${what} is not a list of 64-digit hex hashes`);
  return value.map((node) => Buffer.from(node as string, 'hex'));
};

/** What extends a receipt (decision 0045): the entry it is for, and a newer checkpoint with the proof from the receipt's tree. */
export interface ReceiptExtensions {
  /** GET /v1/ledger/entries/:seq: the entry exactly as hashed. */
  entry?: string;
  /** A newer checkpoint: GET /v1/public/checkpoint (the note, or its JSON). */
  checkpoint?: string;
  /** GET /v1/public/proofs/consistency?from=<the receipt's treeSize>&to=<the newer checkpoint's>. */
  proof?: string;
}

/** The entry's hash recomputed with the verifier's own canonical form: its own `hash`, the receipt's, at the receipt's seq. */
function checkEntry(text: string, receipt: { seq: number; hash: string }, lines: string[]): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    lines.push('FAIL entry: the entry file is not JSON');
    return false;
  }
  const shape = shapeProblem(value);
  if (shape) {
    lines.push(`FAIL entry: the entry ${shape}`);
    return false;
  }
  const entry = value as Entry;
  const recomputed = expectedHash(entry);
  if (recomputed === undefined) {
    lines.push(`FAIL entry: seq ${entry.seq} cannot be canonicalised (RFC 8785 refuses it)`);
    return false;
  }
  let ok = true;
  if (recomputed !== entry.hash) {
    lines.push(`FAIL entry: seq ${entry.seq} hashes to ${recomputed}, not ${entry.hash}, the hash it carries: the entry was altered`);
    ok = false;
  }
  if (entry.hash !== receipt.hash) {
    lines.push(`FAIL entry: seq ${entry.seq} carries hash ${entry.hash}, the receipt's is ${receipt.hash}`);
    ok = false;
  }
  if (entry.seq !== receipt.seq) {
    lines.push(`FAIL entry: the entry is seq ${entry.seq}, the receipt is for seq ${receipt.seq}`);
    ok = false;
  }
  if (ok) lines.push(`ok   entry: seq ${entry.seq} hashes to ${recomputed} (SHA-256 of its RFC 8785 form), the hash it carries and the receipt's`);
  return ok;
}

/**
 * The tree of `older` a prefix of the tree of `newer` (RFC 9162 §2.1.4.2), by the consistency proof in `proofText`
 * (not needed for equal sizes); one line, ok or FAIL.
 */
function proveConsistency(
  older: CheckpointNote,
  newer: CheckpointNote,
  proofText: string | undefined,
  names: { older: string; newer: string },
  lines: string[],
): boolean {
  const fail = (reason: string) => {
    lines.push(`FAIL ${reason}`);
    return false;
  };
  if (older.origin !== newer.origin) return fail(`the checkpoints are of two logs: ${older.origin} and ${newer.origin}`);
  if (older.size > newer.size) return fail(`${names.older} (size ${older.size}) is larger than ${names.newer} (${newer.size}): swap them`);
  if (older.size === 0n) {
    lines.push('ok   consistency: every tree extends the empty tree');
    return true;
  }
  let path: Buffer[] = [];
  if (older.size < newer.size) {
    if (proofText === undefined) return fail(`consistency: give --proof (GET /v1/public/proofs/consistency?from=${older.size}&to=${newer.size})`);
    let proof: { from?: unknown; to?: unknown; path?: unknown };
    try {
      proof = JSON.parse(proofText) as typeof proof;
      if (proof.from !== Number(older.size) || proof.to !== Number(newer.size))
        return fail(`consistency: the proof is from ${String(proof.from)} to ${String(proof.to)}, not ${older.size} to ${newer.size}`);
      path = hashList(proof.path, 'the proof path');
    } catch (err) {
      return fail(`consistency: ${err instanceof SyntaxError ? 'the proof is not JSON' : (err as Error).message}`);
    }
  }
  const consistent = verifyConsistency(older.size, newer.size, older.root, newer.root, path);
  lines.push(
    consistent
      ? `ok   consistency: the tree of ${older.size} entries is a prefix of the tree of ${newer.size}`
      : `FAIL consistency: the tree of ${older.size} entries is NOT a prefix of the tree of ${newer.size}: history after ${names.older} was rewritten or forked`,
  );
  return consistent;
}

/**
 * A receipt (a write's 201 body, or its `receipt` member): the entry is leaf seq − 1 of the signed tree. With the
 * entry (GET /v1/ledger/entries/:seq), its hash is recomputed first; with a newer checkpoint and the consistency
 * proof from the receipt's tree, that tree is proven a prefix of the newer one, and the witnesses required are
 * those of the newer checkpoint (a receipt's own checkpoint is signed before any witness could see it).
 */
export function checkReceipt(text: string, options: TransparencyOptions, extensions: ReceiptExtensions = {}): TransparencyResult {
  const lines: string[] = [];
  const json = JSON.parse(text) as { receipt?: unknown } & Record<string, unknown>;
  const receipt = (json.receipt ?? json) as { seq?: unknown; hash?: unknown; checkpoint?: unknown; inclusionPath?: unknown; leafIndex?: unknown };
  if (!Number.isSafeInteger(receipt.seq) || typeof receipt.hash !== 'string' || typeof receipt.checkpoint !== 'string')
    return { ok: false, lines: ['FAIL receipt: not {seq, hash, checkpoint, inclusionPath}'] };
  const seqNumber = receipt.seq as number;
  let ok = extensions.entry === undefined || checkEntry(extensions.entry, { seq: seqNumber, hash: receipt.hash }, lines);
  const extended = extensions.checkpoint !== undefined;
  const receiptOptions: TransparencyOptions = extended ? { ...options, requireWitnesses: 0 } : options;
  const body = checkNote('receipt checkpoint', receipt.checkpoint, receiptOptions, lines);
  if (!body) return { ok: false, lines };
  if (receipt.leafIndex !== undefined && receipt.leafIndex !== seqNumber - 1) {
    lines.push(`FAIL receipt: leafIndex ${String(receipt.leafIndex)} is not seq − 1 (${seqNumber - 1})`);
    ok = false;
  }
  try {
    const seq = BigInt(seqNumber);
    const included = verifyInclusion(seq - 1n, body.size, leafOfEntryHash(receipt.hash), hashList(receipt.inclusionPath, 'inclusionPath'), body.root);
    lines.push(`${included ? 'ok  ' : 'FAIL'} inclusion: entry ${seq} (hash ${receipt.hash}) ${included ? 'is' : 'is NOT'} in the tree of size ${body.size}`);
    ok &&= included;
  } catch (err) {
    lines.push(`FAIL inclusion: ${(err as Error).message}`);
    ok = false;
  }
  if (extended) {
    let newer: CheckpointNote | undefined;
    try {
      newer = checkNote('newer checkpoint', noteFromText(extensions.checkpoint!), options, lines);
    } catch (err) {
      lines.push(`FAIL newer checkpoint: ${(err as Error).message}`);
    }
    ok = newer !== undefined && proveConsistency(body, newer, extensions.proof, { older: "the receipt's tree", newer: 'the newer checkpoint' }, lines) && ok;
  }
  return { ok, lines };
}

/** Two checkpoints and the consistency proof between them (GET /v1/public/proofs/consistency?from=M&to=N). */
export function checkConsistency(oldText: string, newText: string, proofText: string | undefined, options: TransparencyOptions): TransparencyResult {
  const lines: string[] = [];
  const older = checkNote('old checkpoint', noteFromText(oldText), options, lines);
  const newer = checkNote('new checkpoint', noteFromText(newText), options, lines);
  if (!older || !newer) return { ok: false, lines };
  const ok = proveConsistency(older, newer, proofText, { older: 'the old checkpoint', newer: 'the new one' }, lines);
  return { ok, lines };
}

export const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
