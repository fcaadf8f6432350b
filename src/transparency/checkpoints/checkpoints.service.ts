import type { Deps } from '../../deps.js';
import { DomainError } from '../../shared/errors.js';
import type { SignedCheckpoint, TransparencyLog } from '../transparency.service.js';
import { ledgerHead } from '../../ledger/ledger.repository.js';
import { findCheckpoint, newestNoteCheckpointBy } from './checkpoints.repository.js';

export { CHECKPOINT_TYPE, type Checkpoint, type SignedCheckpoint } from '../transparency.service.js';

export function createCheckpointService(deps: Deps, log: TransparencyLog) {
  return {
    /**
     * The signed checkpoint of the current head (seq 0 and the genesis hash on an empty ledger): the JWS and the
     * C2SP note. One is stored per head and signing key: asking again returns the stored one (with the
     * cosignatures received since), so reading never grows the table.
     */
    async issue(): Promise<SignedCheckpoint> {
      const signing = await log.key;
      const head = await ledgerHead(deps.db);
      const stored = await findCheckpoint(deps.db, head.seq, signing.kid);
      if (stored && stored.hash === head.hash && stored.note !== null) return log.published(deps.db, stored);
      return deps.unitOfWork.transact((trx) => log.seal(trx));
    },

    /**
     * The public checkpoint (decision 0045): the newest one the current key signed, as every write that appends signs
     * its own head; only a ledger that has none yet is signed here, once. An anonymous reader never writes otherwise.
     */
    async latest(): Promise<SignedCheckpoint> {
      const signing = await log.key;
      const stored = await newestNoteCheckpointBy(deps.db, signing.kid);
      return stored ? log.published(deps.db, stored) : this.issue();
    },

    async atSeq(seq: bigint): Promise<SignedCheckpoint> {
      const row = await findCheckpoint(deps.db, seq);
      if (!row) throw DomainError.notFound(`checkpoint at seq ${seq}`);
      return log.published(deps.db, row);
    },

    async jwks() {
      return { keys: [(await log.key).publicJwk] };
    },
  };
}
