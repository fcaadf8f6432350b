import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CheckpointClaim, jwsFromFile, verifyCheckpoint } from './checkpoint.js';
import { balancesCheck, buildReport, type Report, triggersCheck } from './report.js';
import { countEntries, databaseLines, loadPolicyFacts, materialisedBalances, missingTriggers, ndjsonLines, openLedgerFile } from './sources.js';
import { verifyEntries } from './verify.js';

/** The policy files are data the verifier reads for itself; it never imports the service's rules. */
export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../rules/policies/', import.meta.url));

export interface VerifyRequest {
  file?: string;
  db?: string;
  checkpoint?: string;
  jwks?: string;
  partial?: boolean;
  policyDir?: string;
  /** Progress: total units (bytes or entries) once known, then each unit done. */
  progress?: { start(total: number): void; advance(units: number): void };
}

/** The seq a checkpoint claims, read without trusting it, only to name it in a failure. */
function unverifiedSeq(jws: string): number | undefined {
  try {
    const seq = (JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as { seq?: unknown }).seq;
    return Number.isSafeInteger(seq) ? (seq as number) : undefined;
  } catch {
    return undefined;
  }
}

async function checkpointOption(request: VerifyRequest): Promise<{ claim?: CheckpointClaim; error?: string; claimedSeq?: number } | undefined> {
  if (!request.checkpoint) return undefined;
  if (!request.jwks) return { error: '--checkpoint needs --jwks (the JSON of GET /.well-known/jwks.json)' };
  let jws = '';
  try {
    jws = jwsFromFile(readFileSync(request.checkpoint, 'utf8'));
    return { claim: await verifyCheckpoint(jws, JSON.parse(readFileSync(request.jwks, 'utf8'))) };
  } catch (err) {
    const claimed = unverifiedSeq(jws);
    return {
      error: `the checkpoint${claimed === undefined ? '' : ` for seq ${claimed}`} does not verify against the JWKS: ${(err as Error).message}`,
      ...(claimed === undefined ? {} : { claimedSeq: claimed }),
    };
  }
}

export async function runVerification(request: VerifyRequest): Promise<Report> {
  const policies = loadPolicyFacts(request.policyDir ?? DEFAULT_POLICY_DIR);
  const checkpoint = await checkpointOption(request);
  const partial = request.partial ?? false;
  if (request.db) {
    const db = openLedgerFile(request.db);
    try {
      request.progress?.start(countEntries(db));
      const outcome = await verifyEntries(
        (async function* () {
          yield* databaseLines(db);
        })(),
        { partial, policies, ...(checkpoint ? { checkpoint } : {}), onEntry: () => request.progress?.advance(1) },
      );
      return buildReport(outcome, partial, [balancesCheck(materialisedBalances(db), outcome.balances), triggersCheck(missingTriggers(db))]);
    } finally {
      db.close();
    }
  }
  if (!request.file) throw new Error('give an NDJSON export file or --db PATH');
  request.progress?.start(statSync(request.file).size);
  const outcome = await verifyEntries(ndjsonLines(request.file, (bytes) => request.progress?.advance(bytes)), {
    partial,
    policies,
    ...(checkpoint ? { checkpoint } : {}),
  });
  return buildReport(outcome, partial);
}
