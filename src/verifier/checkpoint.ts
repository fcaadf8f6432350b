import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';

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

/** Verifies the checkpoint's Ed25519 signature against the JWKS and returns its claims. */
export async function verifyCheckpoint(jws: string, jwks: JSONWebKeySet): Promise<CheckpointClaim> {
  const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
  if (protectedHeader.typ !== 'voucher-ledger-checkpoint+jws') throw new Error(`unexpected typ ${String(protectedHeader.typ)}`);
  const claim = JSON.parse(new TextDecoder().decode(payload)) as CheckpointClaim;
  if (!Number.isSafeInteger(claim.seq) || typeof claim.hash !== 'string' || typeof claim.ledgerId !== 'string')
    throw new Error('the checkpoint payload is not {ledgerId, seq, hash, issuedAt}');
  return claim;
}
