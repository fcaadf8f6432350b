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
