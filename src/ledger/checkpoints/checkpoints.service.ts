import canonicalize from 'canonicalize';
import { CompactSign } from 'jose';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../shared/errors.js';
import { GENESIS_PREV_HASH } from '../ledger.hash.js';
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

export function createCheckpointService(deps: Deps, key: Promise<SigningKey>) {
  return {
    /** Signs the current head (seq 0 and the genesis hash on an empty ledger) and records what was issued. */
    async issue(): Promise<SignedCheckpoint> {
      const signing = await key;
      return deps.unitOfWork.transact(async (trx) => {
        const head = await ledgerHead(trx);
        const checkpoint: Checkpoint = {
          ledgerId: await ledgerId(trx),
          seq: Number(head?.seq ?? 0n),
          hash: head?.hash ?? GENESIS_PREV_HASH,
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
      const payload = JSON.parse(Buffer.from(row.jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Checkpoint;
      return { jws: row.jws, kid: row.kid, checkpoint: payload };
    },

    async jwks() {
      return { keys: [(await key).publicJwk] };
    },
  };
}
