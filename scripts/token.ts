// Mints a development token signed with JWT_SECRET (or the development secret kept in ./data); with --console,
// a one-time sign-in link to the web console instead (decision 0030).
import { Option } from 'commander';
import { actorSchema } from '../src/auth/actor.js';
import { mintDevToken } from '../src/auth/dev-token.js';
import { createSignInCodeService } from '../src/console-sign-in/sign-in-codes.service.js';
import { createDatabase, migrateToLatest } from '../src/db/database.js';
import { withDevJwtSecret } from '../src/dev-secrets.js';
import { systemClock } from '../src/shared/clock.js';
import { command, existingDatabase, runCli, settings, UsageError, withoutPassword } from './cli.js';

const ROLES = actorSchema.options.map((option) => option.shape.role.value);

const program = command('token', 'Mint a development JWT signed with JWT_SECRET (or the development secret in ./data), printed on stdout.')
  .addOption(new Option('--role <role>', 'the caller’s role').choices(ROLES).makeOptionMandatory())
  .option('--region <code>', 'issuer or auditor: 6-digit GB/T 2260 region code (330000 covers every 33xxxx)')
  .option('--org <uscc>', 'provider or enterprise: its 18-character Unified Social Credit Code')
  .option('--sub <name>', 'the token’s subject (default: dev-<role>-<region or org>)')
  .option('--ttl <duration>', 'lifetime: seconds, or a number with s, m, h or d (at most JWT_MAX_TTL)', '8h')
  .option(
    '--console [base-url]',
    'print a one-time sign-in link to the web console instead, valid 5 minutes (default base: http://localhost:PORT; stored in the server’s database)',
  )
  .option('--db <path|url>', 'with --console: the server’s SQLite file or postgres:// URL (default: DATABASE_URL)')
  .addHelpText(
    'after',
    '\nExamples:\n  npm run -s token -- --role issuer --region 330100\n  npm run -s token -- --role provider --org 91330100799655058B --ttl 1h\n  npm run -s token -- --role enterprise --org 91330106MA2B3C4D5E\n  npm run -s token -- --role auditor --region 330000 --console',
  )
  .parse();
const options = program.opts<{ role: string; region?: string; org?: string; sub?: string; ttl: string; console?: string | true; db?: string }>();

await runCli(
  'token',
  async () => {
    if (!/^[0-9]+[smhd]?$/.test(options.ttl)) throw new UsageError(`--ttl ${options.ttl}: a number of seconds, or a number followed by s, m, h or d`);
    const claims = actorSchema.safeParse({
      sub: options.sub ?? `dev-${options.role}-${options.region ?? options.org ?? ''}`,
      role: options.role,
      ...(options.region ? { region: options.region } : {}),
      ...(options.org ? { org: options.org } : {}),
    });
    if (!claims.success) throw new UsageError(claims.error.issues.map((issue) => `${issue.path.join('.') || 'role'}: ${issue.message}`).join('; '));
    const { config } = withDevJwtSecret(settings());
    if (!config.JWT_SECRET) throw new UsageError('tokens are signed with JWT_SECRET; with asymmetric keys, mint tokens with your identity provider');
    const token = await mintDevToken(config, claims.data, /\d$/.test(options.ttl) ? `${options.ttl}s` : options.ttl);
    if (!options.console) {
      console.log(token);
      return;
    }
    // A link never carries the token: a browser keeps every address it opens (its History and Sessions files),
    // so the link carries a one-time code that the server's database exchanges for the token, once, within
    // five minutes. The code sits in the fragment, which browsers never send to a server.
    const base = typeof options.console === 'string' ? options.console.replace(/\/+$/, '') : `http://localhost:${config.PORT}`;
    const db = createDatabase(existingDatabase(options.db ?? config.DATABASE_URL), { lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS });
    try {
      await migrateToLatest(db);
      const { code } = await createSignInCodeService({ db, clock: systemClock }).issue(token);
      console.log(`${base}/console/#code=${code}`);
    } finally {
      await db.destroy();
    }
  },
  withoutPassword(options.db ?? process.env['DATABASE_URL']),
);
