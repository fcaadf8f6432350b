import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import type { LedgerEntry } from './ledger.types.js';

export const GENESIS_PREV_HASH = '0'.repeat(64);

/** SHA-256 (lowercase hex) of the RFC 8785 canonical JSON of the entry as the API shows it, minus `hash`. */
export function hashEntry(entry: Omit<LedgerEntry, 'hash'>): string {
  const canonical = canonicalize(entry);
  if (canonical === undefined) throw new Error('ledger entry cannot be canonicalised');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
