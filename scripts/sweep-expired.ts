// Lapses every claim not confirmed (or answered) by its day, releasing its reservation (claim.lapsed, decision 0041);
// closes every voucher whose validity has ended and returns its balance to its program (voucher.expired entries),
// queues the webhook notices of vouchers expiring in 30 and 7 days (voucher.expiring, decision 0044), and removes
// Idempotency-Keys older than IDEMPOTENCY_RETENTION_DAYS, webhook deliveries and events past WEBHOOK_RETENTION_DAYS
// (decision 0047) and console sign-in codes expired over a day ago.
// Run it daily after midnight Asia/Shanghai, e.g. from cron: `npm run sweep`. It is safe beside running servers.
import { createSignInCodeService } from '../src/console-sign-in/sign-in-codes.service.js';
import { createDatabase, migrateToLatest } from '../src/db/database.js';
import { createDeps } from '../src/deps.js';
import { createLogger } from '../src/logger.js';
import { createRedemptionService } from '../src/redemptions/redemptions.service.js';
import { createVoucherService } from '../src/vouchers/vouchers.service.js';
import { createWebhookService } from '../src/webhooks/webhooks.service.js';
import { command, existingDatabase, runCli, settings, withoutPassword } from './cli.js';

const program = command(
  'sweep',
  'Lapse claims not confirmed in time (their reservations are released), expire lapsed vouchers (their balances return to their programs), queue the webhook notices of vouchers expiring in 30 and 7 days and remove Idempotency-Keys past IDEMPOTENCY_RETENTION_DAYS and webhook deliveries and events past WEBHOOK_RETENTION_DAYS. Safe beside running servers; run daily after midnight Asia/Shanghai.',
)
  .option('--db <path|url>', 'the SQLite file or postgres:// URL (default: DATABASE_URL)')
  .parse();
const options = program.opts<{ db?: string }>();

await runCli(
  'sweep',
  async () => {
    const config = settings();
    const url = existingDatabase(options.db ?? config.DATABASE_URL);
    const db = createDatabase(url, { lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS });
    try {
      await migrateToLatest(db);
      const deps = createDeps({ db, config, logger: createLogger(config.LOG_LEVEL) });
      // Claims first: a lapsed claim's reservation goes back to its voucher, which may then expire with it. Should
      // lapsing fail, the vouchers still expire and the keys are still purged; the failure is reported at the end.
      let lapseFailure: unknown;
      try {
        const claims = await createRedemptionService(deps).lapseOverdue({ actor: { sub: 'system:expiry-sweep', role: 'system' } });
        for (const lapsed of claims.body.lapsed)
          console.log(`lapsed claim ${lapsed.redemptionId}: not answered by ${lapsed.dueOn}, released ${lapsed.released} (voucher ${lapsed.voucherId})`);
        console.log(`${claims.body.lapsed.length} claim(s) lapsed`);
      } catch (err) {
        lapseFailure = err;
      }
      const result = await createVoucherService(deps).sweepExpired({ actor: { sub: 'system:expiry-sweep', role: 'system' } });
      for (const closed of result.body.expired) console.log(`expired ${closed.voucherId}: returned ${closed.returned} to ${closed.programId}`);
      console.log(`${result.body.expired.length} voucher(s) expired`);
      const webhooks = createWebhookService(deps);
      console.log(`${await webhooks.notifyExpiring()} voucher.expiring webhook event(s) queued`);
      const purged = await webhooks.purgeExpired();
      console.log(`${purged.deliveries} webhook delivery record(s) past their retention removed`);
      console.log(`${purged.events} webhook event(s) past their retention removed`);
      console.log(`${await deps.unitOfWork.purgeExpiredKeys()} idempotency key(s) past their retention removed`);
      console.log(`${await createSignInCodeService(deps).purge()} console sign-in code(s) expired over a day ago removed`);
      if (lapseFailure) throw lapseFailure;
    } finally {
      await db.destroy();
    }
  },
  withoutPassword(options.db ?? process.env['DATABASE_URL']),
);
