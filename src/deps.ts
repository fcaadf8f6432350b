import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { SigningKey } from './transparency/checkpoints/signing-key.js';
import type { Logger } from './logger.js';
import { type Observer, silentObserver } from './observability/observer.js';
import { loadPolicies, type PolicyRegistry } from './rules/policy-loader.js';
import { type Clock, systemClock } from './shared/clock.js';
import { type AppendCollector, createAppendCollector } from './ledger/appended.js';
import { createLedgerWriter, type LedgerWriter } from './ledger/ledger.writer.js';
import { growTree } from './transparency/merkle.repository.js';
import { createReceipts } from './transparency/receipts.js';
import { createTransparencyLog, type TransparencyLog } from './transparency/transparency.service.js';
import { createUnitOfWork, type UnitOfWork } from './unit-of-work/unit-of-work.js';
import { webhookOutbox } from './webhooks/webhooks.outbox.js';

/** What the use cases need from the outside world, built once per app (or per script). */
export interface Deps {
  db: Db;
  config: Config;
  logger: Logger;
  clock: Clock;
  policies: PolicyRegistry;
  unitOfWork: UnitOfWork;
  /** Appends entries, each with its Merkle leaf in the same transaction. */
  ledger: LedgerWriter;
  /** The Merkle tree, checkpoints and cosignatures (decisions 0025–0027). */
  transparency: TransparencyLog;
  /** Where metrics are reported (silent in scripts). */
  observer: Observer;
}

/**
 * The ledger writer every use case appends with: each entry grows the Merkle tree and writes the webhook events it
 * makes in its transaction (decisions 0025, 0044), and is noted as the running command's when `appends` collects
 * them for receipts.
 */
export const createLedger = (appends?: AppendCollector): LedgerWriter =>
  createLedgerWriter(appends ? [growTree, webhookOutbox, appends.observe] : [growTree, webhookOutbox]);

/**
 * The composition root of a process: the cross-cutting concerns of the write path are wired here, not
 * imported by it: the Merkle tree observes the ledger writer, and receipts decorate the unit of work's answers.
 * `signingKey`: the server's; with it every write that appends is answered with a receipt.
 */
export function createDeps(options: {
  db: Db;
  config: Config;
  logger: Logger;
  clock?: Clock;
  policies?: PolicyRegistry;
  observer?: Observer;
  signingKey?: Promise<SigningKey>;
}): Deps {
  const clock = options.clock ?? systemClock;
  const observer = options.observer ?? silentObserver;
  const key = options.signingKey ?? Promise.reject(new Error('this process signs no checkpoints: it was given no signing key'));
  key.catch(() => undefined); // surfaced on first use
  const transparency = createTransparencyLog(options.db, clock, key);
  const appends = createAppendCollector();
  return {
    db: options.db,
    config: options.config,
    logger: options.logger,
    clock,
    policies: options.policies ?? loadPolicies(options.config.POLICY_DIR),
    unitOfWork: createUnitOfWork(options.db, {
      clock,
      idempotencyRetentionDays: options.config.IDEMPOTENCY_RETENTION_DAYS,
      maxAttempts: options.config.WRITE_ATTEMPTS,
      onBatch: observer.writeBatch,
      answers: options.signingKey ? createReceipts(options.db, transparency) : undefined,
      appends,
    }),
    ledger: createLedger(appends),
    transparency,
    observer,
  };
}
