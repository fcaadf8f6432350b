import type { Kysely } from 'kysely';
import { recordedActor } from '../auth/actor.js';
import type { Database } from '../db/schema.js';
import { formatFen } from '../shared/money.js';
import { hashEntry } from './ledger.hash.js';
import { insertEntry, ledgerHead } from './ledger.repository.js';
import type { EntryDraft, LedgerEntry } from './ledger.types.js';

/** What must be written in the same transaction as each entry (the Merkle tree's leaf, decision 0025). */
export type AppendObserver = (trx: Kysely<Database>, entry: LedgerEntry) => Promise<void>;

/** Appends balanced entries to the chain; built once, with its observers, in the composition root (deps.ts). */
export interface LedgerWriter {
  append(trx: Kysely<Database>, draft: EntryDraft, now: Date): Promise<LedgerEntry>;
}

/** The writer, each append followed in its transaction by every observer, in order. */
export function createLedgerWriter(observers: readonly AppendObserver[]): LedgerWriter {
  return {
    async append(trx, draft, now) {
      const entry = await appendToChain(trx, draft, now);
      for (const observe of observers) await observe(trx, entry);
      return entry;
    },
  };
}

/**
 * Appends one balanced entry to the chain inside the caller's unit of work, which holds the ledger lock. The
 * seq primary key, the unique prev_hash and the guarded head update would still refuse a fork.
 */
async function appendToChain(trx: Kysely<Database>, draft: EntryDraft, now: Date): Promise<LedgerEntry> {
  const total = draft.postings.reduce((sum, posting) => sum + posting.amount, 0n);
  if (total !== 0n) throw new Error(`unbalanced ${draft.type} entry: postings sum to ${total} fen`);
  const head = await ledgerHead(trx);
  const unhashed: Omit<LedgerEntry, 'hash'> = {
    seq: Number(head.seq + 1n),
    type: draft.type,
    recordedAt: now.toISOString(),
    actor: recordedActor(draft.actor),
    data: draft.data,
    postings: draft.postings.map((posting) => ({ account: posting.account, amount: formatFen(posting.amount) })),
    prevHash: head.hash,
  };
  const entry: LedgerEntry = { ...unhashed, hash: hashEntry(unhashed) };
  await insertEntry(
    trx,
    {
      seq: BigInt(entry.seq),
      type: entry.type,
      recorded_at: entry.recordedAt,
      actor: JSON.stringify(entry.actor),
      data: JSON.stringify(entry.data),
      prev_hash: entry.prevHash,
      hash: entry.hash,
      region: entry.data.region,
      program_id: entry.data.programId ?? null,
      kind: entry.data.kind ?? null,
    },
    draft.postings,
  );
  return entry;
}
