// Closes every voucher whose validity has ended and returns its balance to its program (voucher.expired entries),
// and removes Idempotency-Keys older than IDEMPOTENCY_RETENTION_DAYS.
// Run it daily after midnight Asia/Shanghai, e.g. from cron: `npm run sweep`. It is safe beside running servers.
import { loadConfig } from '../src/config.js';
import { createDatabase, migrateToLatest } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { createDeps } from '../src/deps.js';
import { createVoucherService } from '../src/vouchers/vouchers.service.js';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const db = createDatabase(config.DATABASE_URL, { lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS });
await migrateToLatest(db);
const deps = createDeps({ db, config, logger });
const vouchers = createVoucherService(deps);
const result = await vouchers.sweepExpired({ actor: { sub: 'system:expiry-sweep', role: 'system' } });
for (const closed of result.body.expired) console.log(`expired ${closed.voucherId}: returned ${closed.returned} to ${closed.programId}`);
console.log(`${result.body.expired.length} voucher(s) expired`);
console.log(`${await deps.unitOfWork.purgeExpiredKeys()} idempotency key(s) past their retention removed`);
await db.destroy();
