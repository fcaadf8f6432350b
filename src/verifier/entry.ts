import { createHash } from 'node:crypto';
import { type Amounts, fen } from './arithmetic.js';
import { canonicalJsonWithout } from './canonical-json.js';

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

/**
 * What the checks read of an entry's amounts, each parsed once, in fen: its postings', and its data's members
 * that its type has as amounts, filled in by the shape check (shapes.ts), which every other check comes after.
 */
export interface Facts {
  amounts: Amounts;
  postings: (bigint | undefined)[];
}

export function factsOf(entry: Entry): Facts {
  const postings: (bigint | undefined)[] = [];
  for (const posting of entry.postings) postings.push(fen(posting.amount));
  // A plain object, so that it has fast properties: only members a type has as amounts are ever set (shapes.ts),
  // and only those are read, none of them a name Object.prototype has.
  return { amounts: {} as Amounts, postings };
}

export const GENESIS = '0'.repeat(64);

/**
 * SHA-256 over the RFC 8785 canonical JSON of every member but `hash`; undefined when the entry cannot be
 * canonicalised (a lone surrogate, which the service's canonicaliser refuses too, so no genuine entry has one).
 */
export function expectedHash(entry: Entry): string | undefined {
  let canonical: string;
  try {
    canonical = canonicalJsonWithout(entry as unknown as Record<string, unknown>, 'hash');
  } catch {
    return undefined;
  }
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Why the entry's hash does not hold, or undefined when it does. */
export function hashProblem(entry: Entry): string | undefined {
  const expected = expectedHash(entry);
  if (expected === undefined) return 'the entry cannot be canonicalised (RFC 8785 refuses it)';
  return expected === entry.hash ? undefined : 'the hash does not match the entry’s content';
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
    if (
      typeof p !== 'object' ||
      p === null ||
      typeof (p as Record<string, unknown>)['account'] !== 'string' ||
      typeof (p as Record<string, unknown>)['amount'] !== 'string'
    )
      return 'a posting is not {account, amount}';
  return undefined;
}
