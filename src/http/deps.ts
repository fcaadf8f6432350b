import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { PolicyRegistry } from '../rules/policy-loader.js';
import type { Clock } from '../shared/clock.js';

/** What the use cases need from the outside world, built once per app. */
export interface Deps {
  db: Db;
  config: Config;
  logger: Logger;
  clock: Clock;
  policies: PolicyRegistry;
}
