import canonicalize from 'canonicalize';
import { CompactSign } from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../shared/errors.js';
import { ledgerHead, ledgerId } from '../ledger.repository.js';
import { findCheckpoint, recordCheckpoint } from './checkpoints.repository.js';
import type { SigningKey } from './signing-key.js';

export const CHECKPOINT_TYPE = 'voucher-ledger-checkpoint+jws';

export interface Checkpoint {
  ledgerId: string;
  seq: number;
  hash: string;
  issuedAt: string;
}

export interface SignedCheckpoint {
  jws: string;
  kid: string;
  checkpoint: Checkpoint;
}

const signedCheckpointOf = (row: { jws: string; kid: string }): SignedCheckpoint => ({
  jws: row.jws,
  kid: row.kid,
  checkpoint: JSON.parse(Buffer.from(row.jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Checkpoint,
});

/** The checkpoint already stored for this head and key, if any. */
async function storedFor(db: Kysely<Database>, head: { seq: bigint; hash: string }, kid: string): Promise<SignedCheckpoint | undefined> {
  const row = await findCheckpoint(db, head.seq, kid);
  return row && row.hash === head.hash ? signedCheckpointOf(row) : undefined;
}

export function createCheckpointService(deps: Deps, key: Promise<SigningKey>) {
  return {
    /**
     * The signed checkpoint of the current head (seq 0 and the genesis hash on an empty ledger). One is stored
     * per head and signing key: asking again returns the stored one, so reading never grows the table.
     */
    async issue(): Promise<SignedCheckpoint> {
      const signing = await key;
      const stored = await storedFor(deps.db, await ledgerHead(deps.db), signing.kid);
      if (stored) return stored;
      return deps.unitOfWork.transact(async (trx) => {
        const head = await ledgerHead(trx);
        const again = await storedFor(trx, head, signing.kid);
        if (again) return again;
        const checkpoint: Checkpoint = {
          ledgerId: await ledgerId(trx),
          seq: Number(head.seq),
          hash: head.hash,
          issuedAt: deps.clock.now().toISOString(),
        };
        const jws = await new CompactSign(new TextEncoder().encode(canonicalize(checkpoint)))
          .setProtectedHeader({ alg: 'EdDSA', kid: signing.kid, typ: CHECKPOINT_TYPE })
          .sign(signing.privateKey);
        await recordCheckpoint(trx, { seq: BigInt(checkpoint.seq), hash: checkpoint.hash, issued_at: checkpoint.issuedAt, kid: signing.kid, jws });
        return { jws, kid: signing.kid, checkpoint };
      });
    },

    async atSeq(seq: bigint): Promise<SignedCheckpoint> {
      const row = await findCheckpoint(deps.db, seq);
      if (!row) throw DomainError.notFound(`checkpoint at seq ${seq}`);
      return signedCheckpointOf(row);
    },

    async jwks() {
      return { keys: [(await key).publicJwk] };
    },
  };
}
