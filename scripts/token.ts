// Mints a development token signed with JWT_SECRET (or the development secret kept in ./data).
import { Option } from 'commander';
import { actorSchema } from '../src/auth/actor.js';
import { mintDevToken } from '../src/auth/dev-token.js';
import { withDevJwtSecret } from '../src/dev-secrets.js';
import { command, runCli, settings, UsageError } from './cli.js';

const ROLES = actorSchema.options.map((option) => option.shape.role.value);

const program = command('token', 'Mint a development JWT signed with JWT_SECRET (or the development secret in ./data), printed on stdout.')
  .addOption(new Option('--role <role>', 'the caller’s role').choices(ROLES).makeOptionMandatory())
  .option('--region <code>', 'issuer or auditor: 6-digit GB/T 2260 region code (330000 covers every 33xxxx)')
  .option('--org <uscc>', 'provider: its 18-character Unified Social Credit Code')
  .option('--sub <name>', 'the token’s subject (default: dev-<role>-<region or org>)')
  .option('--ttl <duration>', 'lifetime: seconds, or a number with s, m, h or d (at most JWT_MAX_TTL)', '8h')
  .option('--console [base-url]', 'print a sign-in link to the web console instead (default base: http://localhost:PORT)')
  .addHelpText('after', '\nExamples:\n  npm run -s token -- --role issuer --region 330100\n  npm run -s token -- --role provider --org 91330100799655058B --ttl 1h\n  npm run -s token -- --role auditor --region 330000 --console')
  .parse();
const options = program.opts<{ role: string; region?: string; org?: string; sub?: string; ttl: string; console?: string | true }>();

await runCli('token', async () => {
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
  // The console takes the token from the link's fragment (never sent to a server) and removes it from the address bar.
  const base = typeof options.console === 'string' ? options.console.replace(/\/+$/, '') : `http://localhost:${config.PORT}`;
  console.log(options.console ? `${base}/console/#token=${token}` : token);
});
