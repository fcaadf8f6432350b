import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AnswerDecorator, CommandResult } from '../unit-of-work/unit-of-work.js';
import { newestNoteCheckpoint } from './transparency.repository.js';
import type { SignedCheckpoint, TransparencyLog } from './transparency.service.js';

/** What a write's answer proves about its entry: the entry is leaf seq − 1 of the tree the checkpoint signs. */
export interface Receipt {
  seq: number;
  hash: string;
  /** The C2SP signed note of the tree head, with the cosignatures the server had when it answered. */
  checkpoint: string;
  treeSize: number;
  rootHash: string;
  /** RFC 9162 inclusion proof, leaf to root, lowercase hex. */
  inclusionPath: string[];
  /** The entry's leaf: seq − 1. */
  leafIndex: number;
  /** Where anyone extends the receipt to a newer tree (decision 0045): RFC 6570 templates of the public routes. */
  newer: { checkpoint: string; consistency: string };
}

/** The part of a receipt stored with an Idempotency-Key's outcome: the rest is completed after every commit. */
interface ReceiptStub {
  seq: number;
  hash: string;
}

const stubOf = (body: unknown): ReceiptStub | undefined => {
  const receipt = (body as { receipt?: ReceiptStub } | null)?.receipt;
  return typeof receipt?.seq === 'number' && typeof receipt.hash === 'string' ? receipt : undefined;
};

/**
 * Receipts in three steps around the group commit (decision 0026): a command that appended entries has its
 * last entry's seq and hash put in its body (and so in the stored Idempotency-Key outcome); the batch's
 * transaction signs one checkpoint of its final head just before it commits; once committed, each answer's
 * inclusion path is read from the stored tree, outside the ledger lock.
 */
export function createReceipts(db: Kysely<Database>, log: TransparencyLog): AnswerDecorator<SignedCheckpoint> {
  return {
    stub<T>(body: T, appended: readonly { seq: number; hash: string }[]): T {
      const last = appended.at(-1);
      if (!last || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
      return { ...body, receipt: { seq: last.seq, hash: last.hash } };
    },

    /** Whether any command of a batch appended an entry: only then is a checkpoint signed before the commit. */
    needsSeal(values: unknown[]): boolean {
      return values.some((value) => stubOf((value as CommandResult<unknown>)?.body) !== undefined);
    },

    seal: (trx: Kysely<Database>) => log.seal(trx),

    /** Completes a committed (or replayed) command's receipt against its batch's checkpoint, or the newest one. */
    async complete<T>(result: CommandResult<T>, sealed: SignedCheckpoint | undefined): Promise<CommandResult<T>> {
      const stub = stubOf(result.body);
      if (!stub) return result;
      let checkpoint = sealed;
      if (!checkpoint?.note || (checkpoint.checkpoint.treeSize ?? 0) < stub.seq) {
        const row = await newestNoteCheckpoint(db);
        checkpoint = row ? await log.published(db, row) : undefined;
      }
      const treeSize = checkpoint?.checkpoint.treeSize;
      if (!checkpoint?.note || treeSize === undefined || treeSize < stub.seq) return result;
      const path = await log.inclusion(db, stub.seq, treeSize);
      const receipt: Receipt = {
        seq: stub.seq,
        hash: stub.hash,
        checkpoint: checkpoint.note,
        treeSize,
        rootHash: checkpoint.checkpoint.rootHash!,
        inclusionPath: path.map((node) => node.toString('hex')),
        leafIndex: stub.seq - 1,
        newer: { checkpoint: '/v1/public/checkpoint', consistency: `/v1/public/proofs/consistency?from=${treeSize}&to={treeSize}` },
      };
      return { ...result, body: { ...result.body, receipt } };
    },
  };
}
