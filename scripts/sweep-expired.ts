// Closes every voucher whose validity has ended and returns its balance to its program (voucher.expired entries).
// Run it daily after midnight Asia/Shanghai, e.g. from cron: `npm run sweep`.
import { loadConfig } from '../src/config.js';
import { createDatabase, migrateToLatest } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { loadPolicies } from '../src/rules/policy-loader.js';
import { systemClock } from '../src/shared/clock.js';
import { createVoucherService } from '../src/vouchers/vouchers.service.js';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const db = createDatabase(config.DATABASE_URL);
await migrateToLatest(db);
const vouchers = createVoucherService({ db, config, logger, clock: systemClock, policies: loadPolicies(config.POLICY_DIR) });
const result = await vouchers.sweepExpired({ actor: { sub: 'system:expiry-sweep', role: 'system' } });
for (const closed of result.body.expired) console.log(`expired ${closed.voucherId}: returned ${closed.returned} to ${closed.programId}`);
console.log(`${result.body.expired.length} voucher(s) expired`);
await db.destroy();
