import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/** A ledger entry as exported; the verifier trusts none of its fields. */
export interface Entry {
  seq: number;
  type: string;
  recordedAt: string;
  actor: Record<string, unknown>;
  data: Record<string, unknown>;
  postings: { account: string; amount: string }[];
  prevHash: string;
  hash: string;
}

export const GENESIS = '0'.repeat(64);

/** SHA-256 over the RFC 8785 canonical JSON of every member but `hash`. */
export function expectedHash(entry: Entry): string {
  const { hash: _ignored, ...rest } = entry;
  return createHash('sha256').update(canonicalize(rest) ?? '', 'utf8').digest('hex');
}

/** Shape check before anything else, so that a mangled line is reported rather than crashing a check. */
export function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object';
  const e = value as Record<string, unknown>;
  if (!Number.isSafeInteger(e['seq']) || (e['seq'] as number) < 1) return 'seq is not a positive integer';
  for (const key of ['type', 'recordedAt', 'prevHash', 'hash']) if (typeof e[key] !== 'string') return `${key} is not a string`;
  for (const key of ['actor', 'data']) if (typeof e[key] !== 'object' || e[key] === null) return `${key} is not an object`;
  if (!Array.isArray(e['postings'])) return 'postings is not an array';
  for (const p of e['postings'] as unknown[])
    if (typeof p !== 'object' || p === null || typeof (p as Record<string, unknown>)['account'] !== 'string' || typeof (p as Record<string, unknown>)['amount'] !== 'string')
      return 'a posting is not {account, amount}';
  return undefined;
}
