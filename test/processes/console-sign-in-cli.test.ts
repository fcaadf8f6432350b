// `npm run token -- --console` as an operator runs it (compiled): the link it prints carries a one-time code,
// never the JWT; the code is stored in the server's database (SQLite or PostgreSQL, as DATABASE_URL says) and the
// server exchanges it for the token once (decision 0030).
import { join } from 'node:path';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceEnvironment } from '../helpers/processes.js';
import { buildTestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-database.js';
import { ensureBuilt, launch, workFolder } from './ops-support.js';

beforeAll(() => ensureBuilt(), 180_000);

const { dir, keyPath } = workFolder('vl-sign-in-cli-');

describe('npm run token -- --console', () => {
  it('prints a link with a one-time code and no JWT; the code exchanges once for a token of the asked role', async () => {
    const t = await buildTestApp({ sqlitePath: join(dir, `ledger-${testEngine}.db`) });
    try {
      const env = serviceEnvironment(t.databaseUrl, keyPath);
      const printed = await launch(
        'scripts/token.js',
        ['--role', 'issuer', '--region', '330100', '--ttl', '1h', '--console', 'https://ledger.example.gov.cn/'],
        { env },
      );
      expect(printed.code, printed.stderr).toBe(0);
      const link = printed.stdout.trim();
      expect(link).toMatch(/^https:\/\/ledger\.example\.gov\.cn\/console\/#code=[A-Za-z0-9_-]{43}$/);
      expect(link).not.toMatch(/ey[\w-]+\.[\w-]+\.[\w-]+/);
      expect(printed.stdout + printed.stderr).not.toMatch(/eyJ/);

      const code = link.split('#code=')[1]!;
      const rows = await t.db.selectFrom('console_sign_in_codes').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(code);

      // The CLI's clock is the real one; the app's is fixed in 2025: exchange at the row's own time.
      t.clock.set(rows[0]!.created_at);
      const exchanged = await request(t.app).post('/v1/console/sessions').send({ code });
      expect(exchanged.status).toBe(200);
      const token = exchanged.body.token as string;
      expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({ role: 'issuer', region: '330100' });
      expect(JSON.stringify(rows)).not.toContain(token.split('.')[1]!);
      expect((await request(t.app).post('/v1/console/sessions').send({ code })).status).toBe(401);

      // Without --console the token itself, as before; no database is needed for it.
      const plain = await launch('scripts/token.js', ['--role', 'issuer', '--region', '330100'], { env: serviceEnvironment(join(dir, 'none.db'), keyPath) });
      expect(plain.stdout.trim()).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      // With it, a database that does not exist is misuse, not a new file.
      const missing = await launch('scripts/token.js', ['--role', 'issuer', '--region', '330100', '--console'], {
        env: serviceEnvironment(join(dir, 'none.db'), keyPath),
      });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^npm run token: no database at .*none\.db/);
    } finally {
      await t.close();
    }
  }, 120_000);
});
