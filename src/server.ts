import { type Config, loadConfig } from './config.js';
import { createDatabase, migrateToLatest, redactDatabaseUrl } from './db/database.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import { withDevJwtSecret } from './dev-secrets.js';
import { loadSigningKey, withDevSigningKey } from './ledger/checkpoints/signing-key.js';
import { createApp } from './http/app.js';
import { createLogger } from './logger.js';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}

const { config: withSecret, createdSecretAt } = withDevJwtSecret(configOrExit());
const config = withDevSigningKey(withSecret);
const logger = createLogger(config.LOG_LEVEL);
// Fail fast on unreadable keys rather than on the first request.
await createTokenVerifier(config).ready;
await loadSigningKey(config);
const db = createDatabase(config.DATABASE_URL, { lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS });
await migrateToLatest(db);

const app = createApp({ db, config, logger });
const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, database: redactDatabaseUrl(config.DATABASE_URL) }, `voucher-ledger listening on http://${config.HOST}:${port}`);
  if (createdSecretAt)
    logger.warn(`development JWT secret in ${createdSecretAt}; mint a token with: npm run token -- --role issuer --region 330100`);
});

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
  // Stop accepting connections, let in-flight requests finish, then close the database.
  server.close(async () => {
    await db.destroy();
    logger.info('stopped');
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
