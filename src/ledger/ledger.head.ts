import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { GENESIS_PREV_HASH } from './ledger.hash.js';
import { headBesideLastEntry } from './ledger.repository.js';

const short = (hash: string) => `${hash.slice(0, 16)}…`;

/**
 * Why the stored ledger head is not the last entry of the chain (seq 0 and the genesis hash on an empty ledger),
 * or undefined when it is. The schema refuses such a head; this finds one left by someone who got past it, before
 * the server chains new entries to it.
 */
export async function ledgerHeadMismatch(db: Kysely<Database>): Promise<string | undefined> {
  const { head, last = { seq: 0n, hash: GENESIS_PREV_HASH } } = await headBesideLastEntry(db);
  if (!head) return `the ledger head row is missing (the last entry is seq ${last.seq})`;
  if (head.seq !== last.seq) return `the ledger head (seq ${head.seq}) is not the last entry (seq ${last.seq})`;
  if (head.hash !== last.hash)
    return `the ledger head (seq ${head.seq}, hash ${short(head.hash)}) is not the last entry (seq ${last.seq}, hash ${short(last.hash)})`;
  return undefined;
}
