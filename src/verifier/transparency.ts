import { readFileSync } from 'node:fs';
import { leafOfEntryHash, verifyConsistency, verifyInclusion } from './merkle.js';
import { type CheckpointNote, cosignedBy, logKeysFromJwks, type NoteKey, readCheckpointBody, readNote, readVerifierKey, signedBy } from './note.js';

// Offline checks of what the transparency log hands out: receipts (an entry's inclusion in a signed tree),
// two checkpoints (the older tree a prefix of the newer), and the witnesses' cosignatures on each.

export interface TransparencyOptions {
  /** The log's keys: GET /.well-known/jwks.json (each Ed25519 JWK, under the checkpoint's origin). */
  jwks: { keys?: { kty?: string; crv?: string; x?: string }[] };
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

/** The checkpoint note in a file: raw note text, GET /v1/ledger/checkpoint's JSON ({note}), or a receipt. */
export function noteFromText(text: string): string {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return text;
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
  if (!logKeysFromJwks(options.jwks, body.origin).some((key) => signedBy(signed, key))) {
    lines.push(`FAIL ${label}: no signature of ${body.origin} verifies with a key of the JWKS`);
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

/** A receipt (a write's 201 body, or its `receipt` member): the entry is leaf seq − 1 of the signed tree. */
export function checkReceipt(text: string, options: TransparencyOptions): TransparencyResult {
  const lines: string[] = [];
  const json = JSON.parse(text) as { receipt?: unknown } & Record<string, unknown>;
  const receipt = (json.receipt ?? json) as { seq?: unknown; hash?: unknown; checkpoint?: unknown; inclusionPath?: unknown };
  if (!Number.isSafeInteger(receipt.seq) || typeof receipt.hash !== 'string' || typeof receipt.checkpoint !== 'string')
    return { ok: false, lines: ['FAIL receipt: not {seq, hash, checkpoint, inclusionPath}'] };
  const body = checkNote('receipt checkpoint', receipt.checkpoint, options, lines);
  if (!body) return { ok: false, lines };
  try {
    const seq = BigInt(receipt.seq as number);
    const included = verifyInclusion(seq - 1n, body.size, leafOfEntryHash(receipt.hash), hashList(receipt.inclusionPath, 'inclusionPath'), body.root);
    lines.push(`${included ? 'ok  ' : 'FAIL'} inclusion: entry ${seq} (hash ${receipt.hash}) ${included ? 'is' : 'is NOT'} in the tree of size ${body.size}`);
    return { ok: included, lines };
  } catch (err) {
    lines.push(`FAIL inclusion: ${(err as Error).message}`);
    return { ok: false, lines };
  }
}

/** Two checkpoints and the consistency proof between them (GET /v1/ledger/proofs/consistency?from=M&to=N). */
export function checkConsistency(oldText: string, newText: string, proofText: string | undefined, options: TransparencyOptions): TransparencyResult {
  const lines: string[] = [];
  const older = checkNote('old checkpoint', noteFromText(oldText), options, lines);
  const newer = checkNote('new checkpoint', noteFromText(newText), options, lines);
  if (!older || !newer) return { ok: false, lines };
  if (older.origin !== newer.origin) return { ok: false, lines: [...lines, `FAIL the checkpoints are of two logs: ${older.origin} and ${newer.origin}`] };
  if (older.size > newer.size)
    return { ok: false, lines: [...lines, `FAIL the old checkpoint (size ${older.size}) is larger than the new one (${newer.size}): swap them`] };
  if (older.size === 0n) return { ok: true, lines: [...lines, 'ok   consistency: every tree extends the empty tree'] };
  let path: Buffer[] = [];
  if (older.size < newer.size) {
    if (proofText === undefined)
      return { ok: false, lines: [...lines, `FAIL consistency: give --proof (GET /v1/ledger/proofs/consistency?from=${older.size}&to=${newer.size})`] };
    const proof = JSON.parse(proofText) as { from?: unknown; to?: unknown; path?: unknown };
    if (proof.from !== Number(older.size) || proof.to !== Number(newer.size))
      return {
        ok: false,
        lines: [...lines, `FAIL consistency: the proof is from ${String(proof.from)} to ${String(proof.to)}, not ${older.size} to ${newer.size}`],
      };
    path = hashList(proof.path, 'the proof path');
  }
  const consistent = verifyConsistency(older.size, newer.size, older.root, newer.root, path);
  lines.push(
    consistent
      ? `ok   consistency: the tree of ${older.size} entries is a prefix of the tree of ${newer.size}`
      : `FAIL consistency: the tree of ${older.size} entries is NOT a prefix of the tree of ${newer.size}: history after the old checkpoint was rewritten or forked`,
  );
  return { ok: consistent, lines };
}

export const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
