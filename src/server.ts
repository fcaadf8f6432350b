// First, before the other modules load: the heap's growth between full collections (decision 0048).
import './observability/heap-growth.apply.js';
import { createServer } from 'node:http';
import { Worker } from 'node:worker_threads';
import { createTokenVerifier } from './auth/token-verifier.js';
import { type Config, loadConfig } from './config.js';
import { createDatabase, type Db, migrateToLatest, redactDatabaseUrl } from './db/database.js';
import { withDevJwtSecret } from './dev-secrets.js';
import { createApp } from './app/app.js';
import { loadSigningKey, withDevSigningKey } from './transparency/checkpoints/signing-key.js';
import { ledgerHeadMismatch } from './ledger/ledger.head.js';
import { createLogger, stdoutDestination } from './logger.js';
import { systemClock } from './shared/clock.js';
import { createWebhookDispatcher } from './webhooks/webhooks.delivery.js';

/** A start-up failure is one line on stderr and exit code 1: no stack trace, no credentials. */
function cannotStart(reason: string, config?: Config): never {
  const password = config && URL.canParse(config.DATABASE_URL) ? new URL(config.DATABASE_URL).password : '';
  console.error(`voucher-ledger cannot start: ${password ? reason.replaceAll(password, '***') : reason}`);
  process.exit(1);
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n').join(' ');

let config: Config;
let createdSecretAt: string | undefined;
try {
  const dev = withDevJwtSecret(loadConfig());
  createdSecretAt = dev.createdSecretAt;
  config = withDevSigningKey(dev.config);
} catch (err) {
  cannotStart(message(err));
}
const logger = createLogger(config.LOG_LEVEL);

let db: Db;
try {
  // Fail fast on unreadable keys and an unusable database rather than on the first request.
  await createTokenVerifier(config).ready.catch((err: unknown) => Promise.reject(new Error(`the JWT verification key cannot be read: ${message(err)}`)));
  await loadSigningKey(config).catch((err: unknown) => Promise.reject(new Error(`LEDGER_SIGNING_KEY cannot be read: ${message(err)}`)));
  db = createDatabase(config.DATABASE_URL, { lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS, poolSize: config.DB_POOL_SIZE });
  await migrateToLatest(db).catch((err: unknown) =>
    Promise.reject(new Error(`the database ${redactDatabaseUrl(config.DATABASE_URL)} cannot be migrated: ${message(err)}`)),
  );
  // A head that is not the last entry would have the server continue a broken chain: the operator decides first.
  const mismatch = await ledgerHeadMismatch(db);
  if (mismatch) throw new Error(`${mismatch}; run npm run verify -- --db ${redactDatabaseUrl(config.DATABASE_URL)}`);
} catch (err) {
  const reason = message(err);
  cannotStart(
    /unable to open database|directory does not exist|SQLITE_CANTOPEN/i.test(reason)
      ? `the database ${config.DATABASE_URL} cannot be opened: ${reason}`
      : reason,
    config,
  );
}

const app = createApp({ db, config, logger, processMetrics: true });
// Webhook deliveries (decision 0044): every WEBHOOK_POLL_MS, what is due; a second process on the same database
// shares the work, each delivery leased by one of them at a time.
const webhooks = createWebhookDispatcher({ db, config, logger, clock: systemClock });
webhooks.start();
// Not app.listen: express 5 calls its callback on an error too, and would log "listening" on a busy port.
const server = createServer(app);
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, pid: process.pid, database: redactDatabaseUrl(config.DATABASE_URL) }, `voucher-ledger listening on http://${config.HOST}:${port}`);
  if (createdSecretAt) logger.warn(`development JWT secret in ${createdSecretAt}; mint a token with: npm run token -- --role issuer --region 330100`);
});
server.on('error', (err: NodeJS.ErrnoException) => {
  void db.destroy();
  cannotStart(err.code === 'EADDRINUSE' ? `${config.HOST}:${config.PORT} is already in use (another server?); set PORT to a free port` : message(err), config);
});

/** Logging must never stop a shutdown: stdout may be a pipe whose reader has gone (EPIPE). */
function logQuietly(write: () => void): void {
  try {
    write();
  } catch {
    // nothing to do: the process is on its way out
  }
}

const EXIT_DEADLINE_MS = 10_000;

/**
 * The exit deadline kept outside the event loop too: should the main thread block (a synchronous call that never
 * returns), no timer of its own can fire, so a worker thread kills the process a second after the deadline.
 */
function killAfterDeadline(): void {
  try {
    new Worker(`setTimeout(() => process.kill(${process.pid}, 'SIGKILL'), ${EXIT_DEADLINE_MS + 1_000});`, { eval: true, execArgv: [] }).unref();
  } catch {
    // the deadline on the event loop below still holds
  }
}

let closing = false;
function shutdown(signal: string): void {
  if (closing) return;
  closing = true;
  // The deadline first, so that nothing below can leave the process running.
  setTimeout(() => process.exit(1), EXIT_DEADLINE_MS).unref();
  killAfterDeadline();
  // The webhook poller first: no new attempt starts; those in flight get two seconds, then are aborted, and have
  // ended before the database is closed under them.
  const webhooksStopped = webhooks.stop().catch((err: unknown) => logQuietly(() => logger.error({ err }, 'stopping webhook deliveries failed')));
  // Stop accepting connections, let in-flight requests finish, then close the database.
  server.close(() => {
    void webhooksStopped
      .then(() => db.destroy())
      .finally(async () => {
        logQuietly(() => logger.info('stopped'));
        // The last lines reach stdout before the exit, unless its reader has gone or stalls.
        await stdoutDestination().flushed(2_000);
        process.exit(0);
      });
  });
  server.closeIdleConnections();
  logQuietly(() => logger.info({ signal }, 'shutting down'));
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
