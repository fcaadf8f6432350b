import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import type { JSONWebKeySet } from 'jose';
import { type CheckpointFile, jwksOfNoteKey, readCheckpointFile, verifyCheckpoint } from './checkpoint.js';
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
import { UNPROVEN_CHECKPOINT_FAILED, type VerifyOptions, type VerifyOutcome, verifyEntries } from './verify.js';
import { noteCheckpointCheck } from './note-checkpoint.js';
import { checkNote, readLogKey, readWitnessKeys, type TransparencyOptions } from './transparency.js';

/** The policy files are data the verifier reads for itself; it never imports the service's rules. */
export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../rules/policies/', import.meta.url));

export interface VerifyRequest {
  file?: string;
  db?: string;
  /** The checkpoint: the JSON of GET /v1/ledger/checkpoint (JWS and note), or a bare C2SP note (GET /v1/public/checkpoint). */
  checkpoint?: string;
  jwks?: string;
  /** The log's note verifier key (GET /v1/public/log-key): the key text, or a file holding it. */
  logKey?: string;
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

/** The --checkpoint file, read once, and the keys and witnesses it is checked with. */
interface CheckpointInput {
  file?: CheckpointFile;
  /** Why the file could not be read as a checkpoint (a check failure, not misuse). */
  unreadable?: string;
  jwks?: JSONWebKeySet;
  options: TransparencyOptions;
}

/**
 * Reads the keys up front: a bad --log-key, --jwks or --witness-keys file is misuse (it throws: exit 2). The
 * checkpoint itself is evidence, so a checkpoint that does not hold is a failed check (exit 1).
 */
function checkpointInput(request: VerifyRequest): CheckpointInput | undefined {
  if (request.requireWitnesses !== undefined && !request.witnessKeys) throw new Error('--require-witnesses needs --witness-keys FILE');
  if (!request.checkpoint) {
    if (request.requireWitnesses !== undefined) throw new Error('--require-witnesses needs --checkpoint (with its note) and --log-key or --jwks');
    return undefined;
  }
  const logKey = request.logKey ? readLogKey(request.logKey) : undefined;
  const jwks = request.jwks ? (JSON.parse(readFileSync(request.jwks, 'utf8')) as JSONWebKeySet) : undefined;
  const witnessKeys = request.witnessKeys ? readWitnessKeys(readFileSync(request.witnessKeys, 'utf8')) : undefined;
  const options: TransparencyOptions = {
    ...(jwks ? { jwks: jwks as TransparencyOptions['jwks'] } : {}),
    ...(logKey ? { logKey } : {}),
    ...(witnessKeys ? { witnessKeys } : {}),
    ...(request.requireWitnesses ? { requireWitnesses: request.requireWitnesses } : {}),
  };
  const text = readFileSync(request.checkpoint, 'utf8');
  let file: CheckpointFile;
  try {
    file = readCheckpointFile(text);
  } catch (err) {
    return { unreadable: `the checkpoint file cannot be read: ${(err as Error).message}`, ...(jwks ? { jwks } : {}), options };
  }
  if (request.requireWitnesses !== undefined && file.note === undefined)
    throw new Error('--require-witnesses needs a checkpoint with its note (GET /v1/ledger/checkpoint or GET /v1/public/checkpoint)');
  return { file, ...(jwks ? { jwks } : {}), options };
}

/**
 * The JWS form: verified against the JWKS, or the log key (the same Ed25519 key signs the JWS and the note). The
 * bare note: its signature (and the witnesses' cosignatures) checked now; its root is the transparency pass's.
 */
async function checkpointOption(input: CheckpointInput | undefined): Promise<CheckpointOption> {
  if (!input) return undefined;
  if (input.unreadable) return { error: input.unreadable };
  const { file, options } = input;
  if (!options.jwks && !options.logKey)
    return { error: '--checkpoint needs --log-key (GET /v1/public/log-key) or --jwks (the JSON of GET /.well-known/jwks.json)' };
  if (file!.jws === undefined) {
    const lines: string[] = [];
    const body = checkNote('checkpoint note', file!.note, options, lines);
    if (!body) return { error: lines.at(-1)!.replace(/^FAIL /, '') };
    if (body.size > BigInt(Number.MAX_SAFE_INTEGER)) return { error: `the note's tree size ${body.size} is beyond any ledger` };
    return { treeSize: Number(body.size) };
  }
  const jws = file!.jws;
  const against = input.jwks ? 'the JWKS' : 'the log key';
  try {
    const jwks = input.jwks ?? (await jwksOfNoteKey(options.logKey!.publicKey));
    return { claim: await verifyCheckpoint(jws, jwks) };
  } catch (err) {
    const claimed = unverifiedSeq(jws);
    return {
      error: `the checkpoint${claimed === undefined ? '' : ` for seq ${claimed}`} does not verify against ${against}: ${(err as Error).message}`,
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

export async function runVerification(request: VerifyRequest): Promise<Report> {
  const policies = loadPolicyFacts(request.policyDir ?? DEFAULT_POLICY_DIR);
  const input = checkpointInput(request);
  const checkpoint = await checkpointOption(input);
  const note = input?.file?.note;
  /**
   * The checkpoint's note is part of the `checkpoint` check: once the JWS holds (or, for a bare note, its
   * signature and its tree size), the note must be signed (and cosigned as required) and its root must be the
   * Merkle root the verifier rebuilds from the entries. A filtered export cannot rebuild the tree, so `--partial`
   * skips it.
   */
  const transparency = async (outcome: VerifyOutcome, batches: () => AsyncIterable<SourceBatch> | Iterable<SourceBatch>): Promise<VerifyOutcome> => {
    const held = outcome.checks.get('checkpoint');
    if (note === undefined || request.partial || held?.status !== 'pass') return outcome;
    const rebuilt = await noteCheckpointCheck(note, input!.options, batches());
    if (rebuilt.status !== 'pass') {
      outcome.checks.set('checkpoint', { ...rebuilt, name: 'checkpoint' });
      outcome.unproven = { afterSeq: 0, reason: UNPROVEN_CHECKPOINT_FAILED };
    } else if (checkpoint?.claim) outcome.checks.set('checkpoint', { ...held, detail: `${held.detail}; ${rebuilt.detail}` });
    else
      outcome.checks.set('checkpoint', {
        ...held,
        detail: `${rebuilt.detail}${held.detail.match(/ \(entries after seq \d+ are not covered.*\)$/)?.[0] ?? ''}`,
      });
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

type CheckpointOption = VerifyOptions['checkpoint'];

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
