// Mints a development token signed with JWT_SECRET (or the development secret kept beside the database).
import { parseArgs } from 'node:util';
import { actorSchema } from '../src/auth/actor.js';
import { mintDevToken } from '../src/auth/dev-token.js';
import { loadConfig } from '../src/config.js';
import { withDevJwtSecret } from '../src/dev-secrets.js';

const { values } = parseArgs({
  options: { role: { type: 'string' }, region: { type: 'string' }, org: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string', default: '8h' } },
});
const claims = actorSchema.safeParse({
  sub: values.sub ?? `dev-${values.role ?? 'user'}-${values.region ?? values.org ?? ''}`,
  role: values.role,
  ...(values.region ? { region: values.region } : {}),
  ...(values.org ? { org: values.org } : {}),
});
if (!claims.success) {
  console.error('usage: npm run token -- --role issuer|auditor --region 330100 | --role provider --org <USCC> [--sub NAME] [--ttl 8h]');
  console.error(claims.error.issues.map((issue) => `  ${issue.path.join('.') || 'role'}: ${issue.message}`).join('\n'));
  process.exit(2);
}
const { config } = withDevJwtSecret(loadConfig());
if (!config.JWT_SECRET) {
  console.error('npm run token signs with JWT_SECRET; with asymmetric keys, mint tokens with your identity provider');
  process.exit(2);
}
console.log(await mintDevToken(config, claims.data, values.ttl));
