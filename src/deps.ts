import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { Logger } from './logger.js';
import { type Observer, silentObserver } from './observability/observer.js';
import { loadPolicies, type PolicyRegistry } from './rules/policy-loader.js';
import { type Clock, systemClock } from './shared/clock.js';
import { createUnitOfWork, type UnitOfWork } from './unit-of-work/unit-of-work.js';

/** What the use cases need from the outside world, built once per app (or per script). */
export interface Deps {
  db: Db;
  config: Config;
  logger: Logger;
  clock: Clock;
  policies: PolicyRegistry;
  unitOfWork: UnitOfWork;
  /** Where metrics are reported (silent in scripts). */
  observer: Observer;
}

export function createDeps(options: { db: Db; config: Config; logger: Logger; clock?: Clock; policies?: PolicyRegistry; observer?: Observer }): Deps {
  const clock = options.clock ?? systemClock;
  const observer = options.observer ?? silentObserver;
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
    }),
    observer,
  };
}
