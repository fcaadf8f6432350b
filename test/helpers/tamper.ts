import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

type Hashed = { hash: string; prevHash: string };

/** An entry with its hash recomputed, as an insider who edits it and re-hashes would leave it. */
export const rehash = <E extends Hashed>(entry: E): E => {
  const { hash: _old, ...rest } = entry;
  return { ...entry, hash: createHash('sha256').update(canonicalize(rest)!).digest('hex') };
};

/** Re-links and re-hashes the chain from an index on, as an insider with write access to a copy would. */
export const relink = <E extends Hashed>(list: E[], from: number): E[] => {
  const out = list.slice(0, from);
  for (const entry of list.slice(from)) out.push(rehash({ ...entry, prevHash: out.at(-1)?.hash ?? '0'.repeat(64) }));
  return out;
};

/**
 * The DDL that lifts the ledger head's guard (decision 0031), as an insider with DDL rights would before moving or
 * deleting the head by hand: what the verifier, /readyz and start-up must then catch.
 */
export const dropHeadGuard = (engine: 'sqlite' | 'postgres'): string[] =>
  ['ledger_head_forward_only', 'ledger_head_no_delete', 'ledger_head_no_insert', ...(engine === 'postgres' ? ['ledger_head_no_truncate'] : [])].map((name) =>
    engine === 'sqlite' ? `DROP TRIGGER ${name}` : `DROP TRIGGER ${name} ON ledger_head`,
  );

/** An entry as an NDJSON export holds it (the API's LedgerEntry), with its data open for tampering. */
export interface ExportedEntry {
  seq: number;
  type: string;
  recordedAt: string;
  actor: Record<string, unknown>;
  data: Record<string, unknown>;
  postings: { account: string; amount: string }[];
  prevHash: string;
  hash: string;
}
