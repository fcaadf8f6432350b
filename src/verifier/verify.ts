import type { CheckpointClaim } from './checkpoint.js';
import type { ClaimSummary } from './claims.js';
import { DerivedState } from './derived-state.js';
import type { OversightSummary } from './oversight.js';
import { type Entry, factsOf, GENESIS, hashProblem, shapeProblem } from './entry.js';
import type { HashPool } from './hash-pool.js';
import { type HashFailure, hashFailures } from './line-hash.js';
import { type PolicyFacts, recompute } from './recompute.js';
import { rulesProblem } from './rules.js';
import { entryProblem } from './shapes.js';
import { type SourceBatch, valueOf } from './sources.js';

export type CheckName = 'format' | 'hashes' | 'chain' | 'balanced' | 'recomputation' | 'rules' | 'derived-inputs' | 'checkpoint';

export interface CheckResult {
  name: string;
  status: 'pass' | 'fail' | 'skipped';
  detail: string;
  failures: number;
  first?: { seq: number; reason: string };
}

export interface VerifyOptions {
  /** A filtered export: gaps are listed instead of failing, and state is not re-derived across them. */
  partial?: boolean;
  policies?: Map<string, PolicyFacts>;
  /**
   * The checkpoint: a verified JWS claim (seq and hash), a bare C2SP note whose signature holds (`treeSize`: it
   * covers entries 1…treeSize; its root is checked in a second pass, note-checkpoint.ts), or why it does not hold.
   */
  checkpoint?: { claim?: CheckpointClaim; treeSize?: number; error?: string; claimedSeq?: number };
  onEntry?: () => void;
  /** Hash each batch's payload on these threads instead of on this one (a batch without one is hashed entry by entry). */
  hashPool?: HashPool;
}

export interface VerifyOutcome {
  entries: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The hash of the entry with the highest seq (for the --db head check). */
  lastHash: string | null;
  gaps: [number, number][];
  checks: Map<string, CheckResult>;
  /** Account sums of every posting seen (for --db balance checks). */
  balances: Map<string, bigint>;
  /** What no verified checkpoint covers (null when one holds the last entry): see `unprovenTail`. */
  unproven: Unproven | null;
  /** The claims the chain leaves (decision 0041); absent when it has none. */
  claims?: ClaimSummary;
  /** Closes, listings, related-party groups and spot checks (decision 0042); absent when the chain has none. */
  oversight?: OversightSummary;
}

/** Entries after `afterSeq` are proven by nothing but their own consistency (0: no entry is). */
export interface Unproven {
  afterSeq: number;
  reason: string;
}

const DESCRIPTIONS: Record<CheckName, string> = {
  format: 'every line is a well-formed entry: a known type with exactly the members that type is written with',
  hashes: "every entry's hash is SHA-256 of its RFC 8785 canonical JSON",
  chain: 'seq and prevHash link every entry to the one before it, from genesis',
  balanced: 'the postings of every entry sum to zero',
  recomputation: 'every amount recomputes from the entry’s recorded inputs under the rules',
  rules: 'every entry keeps the policy’s rules on its own: its writer’s role and region, dates, contract amount, bucket and program limits',
  'derived-inputs':
    'every recorded “before” value, and every fact an entry repeats (program, voucher, contract, redemption, invoice), matches the chain before it',
  checkpoint: 'the signed checkpoint verifies and the export holds its seq and hash',
};

export class Checks {
  readonly results = new Map<string, CheckResult>();
  add(name: string, detail: string): void {
    this.results.set(name, { name, status: 'pass', detail, failures: 0 });
  }
  fail(name: string, seq: number, reason: string): void {
    const result = this.results.get(name)!;
    result.status = 'fail';
    result.failures++;
    result.first ??= { seq, reason };
  }
  skip(name: string, why: string): void {
    const result = this.results.get(name)!;
    if (result.status === 'pass') Object.assign(result, { status: 'skipped', detail: `${result.detail} — skipped: ${why}` });
  }
}

/**
 * Streams entries once, running every check on each; memory grows with accounts and redemptions, not with
 * entries. With a hash pool, each batch is hashed on a worker while this thread runs the other checks.
 */
export async function verifyEntries(batches: AsyncIterable<SourceBatch> | Iterable<SourceBatch>, options: VerifyOptions = {}): Promise<VerifyOutcome> {
  const checks = new Checks();
  for (const [name, detail] of Object.entries(DESCRIPTIONS)) checks.add(name, detail);
  const state = new DerivedState();
  const gaps: [number, number][] = [];
  let previous: { seq: number; hash: string } | undefined;
  let entries = 0;
  let firstSeq: number | null = null;
  let checkpointSeen = false;
  const claim = options.checkpoint?.claim;
  const pool = options.hashPool;
  // Hash results in batch order, so that the `hashes` check sees its failures in stream order.
  const hashing: Promise<HashFailure[]>[] = [];
  const record = (failures: HashFailure[]) => {
    for (const [seq, reason] of failures) checks.fail('hashes', seq, reason);
  };

  for await (const batch of batches) {
    // A batch with its bytes is hashed as a whole (line-hash.ts), on a thread of the pool or here.
    const hashedWhole = batch.payload !== undefined;
    if (pool && batch.payload !== undefined) {
      const result = pool.submit(batch.payload);
      result.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
      hashing.push(result);
    } else if (batch.payload !== undefined) record(hashFailures(batch.payload));
    for (const source of batch.lines) {
      options.onEntry?.();
      const value = valueOf(source);
      const line = source.line;
      const shape = shapeProblem(value);
      if (shape) {
        checks.fail('format', previous ? previous.seq + 1 : 1, `line ${line} ${shape}`);
        continue;
      }
      const entry = value as Entry;
      entries++;
      firstSeq ??= entry.seq;

      if (!hashedWhole) {
        const problem = hashProblem(entry);
        if (problem) checks.fail('hashes', entry.seq, problem);
      }

      const expectedSeq = previous ? previous.seq + 1 : 1;
      if (entry.seq < expectedSeq) checks.fail('chain', entry.seq, `seq ${entry.seq} comes after seq ${previous?.seq}: entries are out of order or repeated`);
      else if (entry.seq > expectedSeq) {
        gaps.push([expectedSeq, entry.seq - 1]);
        if (!options.partial) checks.fail('chain', expectedSeq, `seq ${expectedSeq}${entry.seq - 1 > expectedSeq ? `–${entry.seq - 1}` : ''} is missing`);
      } else if (entry.prevHash !== (previous ? previous.hash : GENESIS))
        checks.fail(
          'chain',
          entry.seq,
          previous ? `prevHash does not match the hash of seq ${previous.seq}` : 'the first entry’s prevHash is not the genesis hash',
        );

      const facts = factsOf(entry);
      let sum = 0n;
      for (const amount of facts.postings) sum += amount ?? malformedAmount(checks, entry);
      if (sum !== 0n) checks.fail('balanced', entry.seq, `postings sum to ${sum} fen, not zero`);

      // A malformed entry (unknown type or member, a member missing or mistyped) fails here, naming its seq;
      // nothing below reads it, and it establishes no state. Anything a check still throws on is a failure
      // of that entry too, never a crash of the verifier.
      let wellFormed = false;
      try {
        const malformed = entryProblem(entry, facts);
        wellFormed = malformed === undefined;
        if (malformed) checks.fail('format', entry.seq, malformed);
        else {
          const recomputed = recompute(entry, facts, options.policies);
          if (recomputed) checks.fail('recomputation', entry.seq, recomputed);
          const broken = rulesProblem(entry, options.policies);
          if (broken) checks.fail('rules', entry.seq, broken);
          if (!options.partial) {
            const derived = state.check(entry, facts);
            if (derived) checks.fail('derived-inputs', entry.seq, derived);
          }
        }
        state.apply(entry, facts, wellFormed);
        if (!options.partial) {
          const problem = state.negativeAccount(entry) ?? (wellFormed ? state.contractCeiling(entry) : undefined);
          if (problem) checks.fail('derived-inputs', entry.seq, problem);
        }
      } catch (err) {
        checks.fail('format', entry.seq, `the entry cannot be checked: ${(err as Error).message}`);
      }

      if (claim && entry.seq === claim.seq) {
        checkpointSeen = true;
        if (entry.hash !== claim.hash)
          checks.fail(
            'checkpoint',
            entry.seq,
            `the checkpoint signs hash ${claim.hash.slice(0, 16)}… for seq ${claim.seq}, the export has ${entry.hash.slice(0, 16)}…`,
          );
      }
      if (!previous || entry.seq > previous.seq) previous = { seq: entry.seq, hash: entry.hash };
    }
    while (hashing.length > (pool?.capacity ?? 0)) record(await hashing.shift()!);
  }
  for (const result of hashing) record(await result);

  if (options.partial) checks.skip('derived-inputs', 'a partial export cannot re-derive state across its gaps');
  else for (const [seq, reason] of state.endOfChainProblems()) checks.fail('derived-inputs', seq, reason);
  if (options.checkpoint?.error) checks.fail('checkpoint', options.checkpoint.claimedSeq ?? 0, options.checkpoint.error);
  else if (!options.checkpoint) checks.skip('checkpoint', 'no --checkpoint given');
  else if (claim && !checkpointSeen && !(claim.seq === 0 && claim.hash === GENESIS))
    checks.fail('checkpoint', claim.seq, `the export does not hold the checkpointed seq ${claim.seq}`);
  else if (claim && previous && previous.seq > claim.seq) {
    const result = checks.results.get('checkpoint')!;
    result.detail += ` (entries after seq ${claim.seq} are not covered by this checkpoint)`;
  } else if (!claim && options.checkpoint.treeSize !== undefined) {
    const treeSize = options.checkpoint.treeSize;
    if (options.partial) checks.skip('checkpoint', 'a partial export cannot rebuild the tree the note signs');
    else if (treeSize > (previous?.seq ?? 0))
      checks.fail('checkpoint', treeSize, `the note covers ${treeSize} entries but the export ends at seq ${previous?.seq ?? 0}: entries were removed`);
    else if (previous && previous.seq > treeSize) {
      const result = checks.results.get('checkpoint')!;
      result.detail += ` (entries after seq ${treeSize} are not covered by this checkpoint)`;
    }
  }
  if (entries === 0 && !checks.results.get('format')!.failures) checks.fail('format', 0, 'the export holds no entries');
  const lastSeq = previous?.seq ?? null;
  return {
    entries,
    firstSeq,
    lastSeq,
    lastHash: previous?.hash ?? null,
    gaps,
    checks: checks.results,
    balances: state.balances,
    unproven: unprovenTail(options, checks, lastSeq),
    ...(state.claimSummary ? { claims: state.claimSummary } : {}),
    ...(state.oversightSummary ? { oversight: state.oversightSummary } : {}),
  };
}

export const UNPROVEN_CHECKPOINT_FAILED = 'the checkpoint does not hold: entries after the last checked one could have been removed or rewritten consistently';

/**
 * Without a verified checkpoint the chain proves only that it is consistent: a forger who removed its last
 * entries, or rewrote entries and re-hashed everything after them, leaves a chain that passes every other check.
 */
function unprovenTail(options: VerifyOptions, checks: Checks, lastSeq: number | null): Unproven | null {
  const covered = options.checkpoint?.claim?.seq ?? options.checkpoint?.treeSize;
  if (!options.checkpoint)
    return { afterSeq: 0, reason: 'no checkpoint: entries after the last checked one could have been removed or rewritten consistently' };
  if (covered === undefined || checks.results.get('checkpoint')!.status === 'fail') return { afterSeq: 0, reason: UNPROVEN_CHECKPOINT_FAILED };
  if (!options.checkpoint.claim && options.partial)
    return { afterSeq: 0, reason: 'a partial export cannot be held against the note: any entry could have been removed or rewritten consistently' };
  if (lastSeq !== null && lastSeq > covered)
    return { afterSeq: covered, reason: `entries after the checkpointed seq ${covered} could have been removed or rewritten consistently` };
  return null;
}

/** A posting amount that is not a decimal string fails the entry's balance check. */
function malformedAmount(checks: Checks, entry: Entry): bigint {
  checks.fail('balanced', entry.seq, 'a posting amount is not a two-decimal string');
  return 0n;
}
