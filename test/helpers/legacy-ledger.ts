import type { Kysely } from 'kysely';
import { recordedActor } from '../../src/auth/actor.js';
import type { Database } from '../../src/db/schema.js';
import { hashEntry } from '../../src/ledger/ledger.hash.js';
import { insertEntry, ledgerHead } from '../../src/ledger/ledger.repository.js';
import type { EntryDraft, LedgerEntry } from '../../src/ledger/ledger.types.js';
import { formatFen } from '../../src/shared/money.js';

/**
 * Appends an entry as the writer did before the Merkle tree (migration 0008): for tests that build a database
 * at an older schema and then migrate it.
 */
export async function appendLegacyEntry(trx: Kysely<Database>, draft: EntryDraft, now: Date): Promise<LedgerEntry> {
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
