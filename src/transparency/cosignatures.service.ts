import type { Deps } from '../deps.js';
import { DomainError } from '../shared/errors.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import { ledgerId } from '../ledger/ledger.repository.js';
import { parseCheckpointText, parseVerifierKey, splitNote, verifyCosignature } from './note.js';
import { recordCosignature } from './transparency.repository.js';
import { originOf } from './transparency.service.js';

/** How far ahead of this server's clock a cosignature's timestamp may be. */
const FUTURE_SKEW_SECONDS = 600n;

export function createCosignatureService(deps: Deps) {
  const witnesses = (deps.config.WITNESS_KEYS ?? []).map(parseVerifierKey);
  const log = deps.transparency;

  return {
    /**
     * Keeps the cosignatures of configured witnesses on a checkpoint this log signed; the checkpoint is then
     * published with them. A tree head the log never signed is refused, with the root it did sign at that size.
     */
    async add(ctx: CommandContext, note: string) {
      let body: ReturnType<typeof splitNote>;
      let claimed: ReturnType<typeof parseCheckpointText>;
      try {
        body = splitNote(note);
        claimed = parseCheckpointText(body.text);
      } catch (err) {
        throw DomainError.validation([{ field: 'note', message: (err as Error).message }]);
      }
      return deps.unitOfWork.run({
        status: 201,
        context: ctx,
        execute: async (trx) => {
          const origin = originOf(await ledgerId(trx));
          if (claimed.origin !== origin)
            throw new DomainError('checkpoint_unknown', `the checkpoint is for the log ${claimed.origin}, not this one (${origin})`, { field: 'note' });
          const signed = await log.atSize(trx, BigInt(claimed.treeSize));
          if (!signed?.note || signed.checkpoint.rootHash !== claimed.rootHash.toString('hex'))
            throw new DomainError(
              'checkpoint_unknown',
              signed?.checkpoint.rootHash
                ? `this log signed tree size ${claimed.treeSize} with root ${signed.checkpoint.rootHash}, not ${claimed.rootHash.toString('hex')}`
                : `this log signed no checkpoint of tree size ${claimed.treeSize}`,
              { field: 'note' },
            );
          const now = BigInt(Math.floor(deps.clock.now().getTime() / 1000));
          let accepted = 0;
          for (const line of body.signatures) {
            const witness = witnesses.find((key) => key.name === line.name && key.keyId.equals(line.keyId));
            const timestamp = witness ? verifyCosignature(body.text, line, witness) : undefined;
            if (!witness || timestamp === undefined || timestamp > now + FUTURE_SKEW_SECONDS) continue;
            await recordCosignature(trx, {
              tree_size: BigInt(claimed.treeSize),
              root_hash: signed.checkpoint.rootHash,
              witness: witness.name,
              key_id: witness.keyId.toString('hex'),
              signed_at: timestamp,
              line: line.line,
              received_at: deps.clock.now().toISOString(),
            });
            accepted++;
          }
          if (accepted === 0)
            throw new DomainError(
              'cosignature_invalid',
              witnesses.length === 0
                ? 'this server has no witness keys configured (WITNESS_KEYS)'
                : 'no signature line verifies as a cosignature of a configured witness (name, key ID, Ed25519 signature, timestamp no later than 10 minutes ahead)',
              { field: 'note' },
            );
          return (await log.atSize(trx, BigInt(claimed.treeSize)))!;
        },
      });
    },
  };
}
