import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { type CheckpointClaim, jwsFromFile, verifyCheckpoint } from './checkpoint.js';
import { isPostgresUrl, PostgresLedger, redactCredentials } from './postgres-source.js';
import { balancesCheck, buildReport, headCheck, type Report, triggersCheck } from './report.js';
import { HashPool } from './hash-pool.js';
import {
  countEntries,
  databaseBatches,
  loadPolicyFacts,
  materialisedBalances,
  missingTriggers,
  ndjsonBatches,
  openLedgerFile,
  type SourceBatch,
  storedHead,
} from './sources.js';
import { type VerifyOutcome, verifyEntries } from './verify.js';
import { noteCheckpointCheck } from './note-checkpoint.js';
import { readWitnessKeys, type TransparencyOptions } from './transparency.js';

/** The policy files are data the verifier reads for itself; it never imports the service's rules. */
export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../rules/policies/', import.meta.url));

export interface VerifyRequest {
  file?: string;
  db?: string;
  checkpoint?: string;
  jwks?: string;
  /** C2SP witness verifier keys, one per line, and how many must have cosigned the checkpoint's note. */
  witnessKeys?: string;
  requireWitnesses?: number;
  partial?: boolean;
  policyDir?: string;
  /** Threads that hash while the main thread checks; 0 hashes on the main thread. Default: by input size. */
  hashThreads?: number;
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

/**
 * For a process that only verifies (the CLI; the benchmark runs it so): collect the old generation once it has
 * grown a fifth past its live size, not several times that. JSON.parse makes every short string value it has
 * not seen before (amounts, invoice numbers) an internalized string in the old generation, dead at once: about
 * 300 MB of such garbage per 1,000,000 entries, which V8 otherwise lets pile up to 50–80 MB between full
 * collections. Peak RSS at 1,000,000 entries: about 240 MB instead of 280–330 MB, at no measurable cost
 * (a full collection of the small live heap takes 10–20 ms). Process-wide, so never called by a library user.
 */
export function tuneHeapForVerification(): void {
  setFlagsFromString('--heap-growing-percent=20');
}

/** Below this many entries, starting threads costs more than it saves. */
const THREADS_FROM_ENTRIES = 20_000;
const BYTES_PER_ENTRY = 1_400;

/**
 * A hashing thread takes a core the main thread does not need: it hashes from the bytes without parsing
 * (line-hash.ts), at about a third of the main thread's cost per entry, so one or two suffice (decision 0034).
 */
function hashPool(request: VerifyRequest, entries: number): HashPool | undefined {
  const spare = availableParallelism() - 1;
  const threads = request.hashThreads ?? (entries >= THREADS_FROM_ENTRIES && spare >= 1 ? Math.min(2, spare) : 0);
  return threads > 0 ? new HashPool(threads) : undefined;
}

/** The checkpoint file's C2SP note (GET /v1/ledger/checkpoint; decision 0025), with the options to check it. */
function noteOption(request: VerifyRequest): { note: string; options: TransparencyOptions } | undefined {
  if (request.requireWitnesses !== undefined && !request.witnessKeys) throw new Error('--require-witnesses needs --witness-keys FILE');
  if (!request.checkpoint || !request.jwks) {
    if (request.requireWitnesses !== undefined) throw new Error('--require-witnesses needs --checkpoint (with its note) and --jwks');
    return undefined;
  }
  const text = readFileSync(request.checkpoint, 'utf8').trim();
  const note = text.startsWith('{') ? (JSON.parse(text) as { note?: unknown }).note : undefined;
  if (typeof note !== 'string') {
    if (request.requireWitnesses !== undefined) throw new Error('--require-witnesses needs a checkpoint with its note (GET /v1/ledger/checkpoint)');
    return undefined;
  }
  const witnessKeys = request.witnessKeys ? readWitnessKeys(readFileSync(request.witnessKeys, 'utf8')) : undefined;
  return {
    note,
    options: {
      jwks: JSON.parse(readFileSync(request.jwks, 'utf8')) as TransparencyOptions['jwks'],
      ...(witnessKeys ? { witnessKeys } : {}),
      ...(request.requireWitnesses ? { requireWitnesses: request.requireWitnesses } : {}),
    },
  };
}

export async function runVerification(request: VerifyRequest): Promise<Report> {
  const policies = loadPolicyFacts(request.policyDir ?? DEFAULT_POLICY_DIR);
  const checkpoint = await checkpointOption(request);
  const noted = noteOption(request);
  /**
   * The checkpoint's note is part of the `checkpoint` check: once the JWS holds, the note must be signed (and
   * cosigned as required) and its root must be the Merkle root the verifier rebuilds from the entries. A filtered
   * export cannot rebuild the tree, so `--partial` skips it.
   */
  const transparency = async (outcome: VerifyOutcome, batches: () => AsyncIterable<SourceBatch> | Iterable<SourceBatch>): Promise<VerifyOutcome> => {
    const jws = outcome.checks.get('checkpoint');
    if (!noted || request.partial || jws?.status !== 'pass') return outcome;
    const note = await noteCheckpointCheck(noted.note, noted.options, batches());
    outcome.checks.set('checkpoint', note.status === 'pass' ? { ...jws, detail: `${jws.detail}; ${note.detail}` } : { ...note, name: 'checkpoint' });
    return outcome;
  };
  const partial = request.partial ?? false;
  if (request.db && isPostgresUrl(request.db)) {
    const url = request.db;
    try {
      return await verifyPostgres(url, request, policies, checkpoint, partial, transparency);
    } catch (err) {
      // pg's messages name hosts and users, not passwords, but nothing that might carry the URL is printed unredacted.
      throw new Error(redactCredentials((err as Error).message, url));
    }
  }
  if (request.db) return verifyDatabase(sqliteLedger(request.db), request, policies, checkpoint, partial, transparency);
  if (!request.file) throw new Error('give an NDJSON export file or --db PATH');
  const size = statSync(request.file).size;
  const pool = hashPool(request, size / BYTES_PER_ENTRY);
  try {
    request.progress?.start(size);
    const batches = ndjsonBatches(request.file, {
      onBytes: (bytes) => request.progress?.advance(bytes),
      payload: pool ? (length) => pool.buffer(length) : 'view',
    });
    const outcome = await verifyEntries(batches, {
      partial,
      policies,
      ...(checkpoint ? { checkpoint } : {}),
      ...(pool ? { hashPool: pool } : {}),
    });
    return buildReport(await transparency(outcome, () => ndjsonBatches(request.file!)), partial);
  } finally {
    await pool?.close();
  }
}

type CheckpointOption = Awaited<ReturnType<typeof checkpointOption>>;

/** What `--db` reads besides the entries, the same on both engines. */
interface DatabaseLedger {
  countEntries(): Promise<number>;
  batches(options: { payload: boolean }): AsyncIterable<SourceBatch> | Iterable<SourceBatch>;
  materialisedBalances(): Promise<Map<string, bigint>>;
  triggerProblems(): Promise<string[]>;
  /** What the triggers check establishes on this engine. */
  triggersDetail?: string;
  storedHead(): Promise<{ seq: bigint; hash: unknown } | null | undefined>;
  close(): Promise<void>;
}

function sqliteLedger(path: string): DatabaseLedger {
  const db = openLedgerFile(path);
  return {
    countEntries: async () => countEntries(db),
    batches: (options) => databaseBatches(db, options),
    materialisedBalances: async () => materialisedBalances(db),
    triggerProblems: async () => missingTriggers(db),
    storedHead: async () => storedHead(db),
    close: async () => {
      db.close();
    },
  };
}

type TransparencyPass = (outcome: VerifyOutcome, batches: () => AsyncIterable<SourceBatch> | Iterable<SourceBatch>) => Promise<VerifyOutcome>;

async function verifyPostgres(
  url: string,
  request: VerifyRequest,
  policies: ReturnType<typeof loadPolicyFacts>,
  checkpoint: CheckpointOption,
  partial: boolean,
  transparency: TransparencyPass,
): Promise<Report> {
  const ledger = await PostgresLedger.open(url);
  return verifyDatabase(
    {
      countEntries: () => ledger.countEntries(),
      batches: (options) => ledger.batches(options),
      materialisedBalances: () => ledger.materialisedBalances(),
      triggerProblems: () => ledger.triggerProblems(),
      triggersDetail: 'the database refuses UPDATE, DELETE and TRUNCATE on ledger tables (triggers present, enabled, raising)',
      storedHead: () => ledger.storedHead(),
      close: () => ledger.close(),
    },
    request,
    policies,
    checkpoint,
    partial,
    transparency,
  );
}

/** The entries straight from the database, then what only the database holds: balances, triggers, head. */
async function verifyDatabase(
  ledger: DatabaseLedger,
  request: VerifyRequest,
  policies: ReturnType<typeof loadPolicyFacts>,
  checkpoint: CheckpointOption,
  partial: boolean,
  transparency: TransparencyPass,
): Promise<Report> {
  let pool: HashPool | undefined;
  try {
    const total = await ledger.countEntries();
    pool = hashPool(request, total);
    request.progress?.start(total);
    const outcome = await verifyEntries(ledger.batches({ payload: pool !== undefined }), {
      partial,
      policies,
      ...(checkpoint ? { checkpoint } : {}),
      ...(pool ? { hashPool: pool } : {}),
      onEntry: () => request.progress?.advance(1),
    });
    await transparency(outcome, () => ledger.batches({ payload: false }));
    return buildReport(outcome, partial, [
      balancesCheck(await ledger.materialisedBalances(), outcome.balances),
      triggersCheck(await ledger.triggerProblems(), ...(ledger.triggersDetail ? [ledger.triggersDetail] : [])),
      headCheck(await ledger.storedHead(), outcome.lastSeq, outcome.lastHash),
    ]);
  } finally {
    await ledger.close();
    await pool?.close();
  }
}
