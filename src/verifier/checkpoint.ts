import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';

export interface CheckpointClaim {
  ledgerId: string;
  seq: number;
  hash: string;
  issuedAt: string;
  /** The Merkle tree the head closes (checkpoints issued since migration 0008). */
  treeSize?: number;
  /** Its RFC 9162 root, hex. */
  rootHash?: string;
}

/** Accepts the raw compact JWS or the JSON that GET /v1/ledger/checkpoint returns. */
export function jwsFromFile(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as { jws?: unknown };
    if (typeof parsed.jws !== 'string') throw new Error('the checkpoint file has no jws member');
    return parsed.jws;
  }
  return trimmed;
}

/**
 * What a `--checkpoint` file holds: the JWS (the JSON of GET /v1/ledger/checkpoint, with its note when it has one,
 * or the compact JWS alone), or a bare C2SP note (GET /v1/public/checkpoint: the text, or its JSON without `jws`).
 */
export type CheckpointFile = { jws: string; note?: string } | { note: string; jws?: undefined };

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function readCheckpointFile(text: string): CheckpointFile {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as { jws?: unknown; note?: unknown };
    const note = typeof parsed.note === 'string' ? parsed.note : undefined;
    if (typeof parsed.jws === 'string') return { jws: parsed.jws, ...(note !== undefined ? { note } : {}) };
    if (note !== undefined) return { note };
    throw new Error('the checkpoint file has neither a jws nor a note member');
  }
  if (COMPACT_JWS.test(trimmed)) return { jws: trimmed };
  return { note: text.endsWith('\n') ? text : `${text}\n` };
}

/** The JWKS of the log's note key (the same Ed25519 key signs the JWS), its kid the RFC 7638 thumbprint as the log's. */
export async function jwksOfNoteKey(publicKey: Buffer): Promise<JSONWebKeySet> {
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') };
  return { keys: [{ ...jwk, kid: await calculateJwkThumbprint(jwk) }] };
}

/** Verifies the checkpoint's Ed25519 signature against the JWKS and returns its claims. */
export async function verifyCheckpoint(jws: string, jwks: JSONWebKeySet): Promise<CheckpointClaim> {
  const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
  if (protectedHeader.typ !== 'voucher-ledger-checkpoint+jws') throw new Error(`unexpected typ ${String(protectedHeader.typ)}`);
  const claim = JSON.parse(new TextDecoder().decode(payload)) as CheckpointClaim;
  if (!Number.isSafeInteger(claim.seq) || typeof claim.hash !== 'string' || typeof claim.ledgerId !== 'string')
    throw new Error('the checkpoint payload is not {ledgerId, seq, hash, issuedAt}');
  return claim;
}
