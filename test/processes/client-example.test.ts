// The typed client's example (scripts/client-example.ts), compiled, run against `npm start` as a provider's
// engineer would run it: register a contract, read the voucher, redeem (and retry with the same key), read the
// redemption's settlement status, page through the contract's redemptions, catch a refusal as a ProblemError.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, PROVIDER } from '../helpers/fixtures.js';
import { serviceEnvironment } from '../helpers/processes.js';
import { mintToken } from '../helpers/test-app.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { ensureBuilt, isAlive, launch, repo, startListening, workFolder } from './ops-support.js';

beforeAll(() => ensureBuilt(), 180_000);

describe('the client example', () => {
  it('runs against npm start: 30% of 100,000.00 is 30,000.00, the retry replays, the duplicate invoice is a ProblemError', async () => {
    const { dir, keyPath } = workFolder('vl-client-');
    const database = await createTestDatabase(join(dir, 'ledger.db'));
    const env = serviceEnvironment(database.url, keyPath);
    const server = await startListening('npm', ['start'], { cwd: repo, env });
    try {
      // The issuer's side, which a provider does not do: a program and the customer's voucher of 50,000.00.
      const issuer = { Authorization: `Bearer ${await mintToken({ role: 'issuer', region: HANGZHOU })}`, 'Content-Type': 'application/json' };
      const program = (await (
        await fetch(`${server.url}/v1/programs`, {
          method: 'POST',
          headers: issuer,
          body: JSON.stringify({ name: '杭州算力券', kind: 'compute', budget: '1000000.00' }),
        })
      ).json()) as { id: string };
      const voucherResponse = await fetch(`${server.url}/v1/vouchers`, {
        method: 'POST',
        headers: issuer,
        body: JSON.stringify({
          programId: program.id,
          beneficiary: { uscc: ENTERPRISE, name: '杭州示例智能科技有限公司' },
          amount: '50000.00',
          expiresOn: '2027-12-31',
        }),
      });
      expect(voucherResponse.status).toBe(201);
      const voucher = (await voucherResponse.json()) as { id: string };

      const example = await launch('scripts/client-example.js', [], {
        env: {
          ...env,
          VOUCHER_LEDGER_URL: server.url,
          VOUCHER_LEDGER_TOKEN: await mintToken({ role: 'provider', org: PROVIDER }),
          VOUCHER_ID: voucher.id,
          BENEFICIARY_USCC: ENTERPRISE,
        },
      });
      expect(example.code, example.stderr + example.stdout).toBe(0);
      const out = example.stdout;
      expect(out).toMatch(/^contract ctr_\S+ registered: HT-\S+, 1200000\.00 yuan$/m);
      expect(out).toContain(`voucher ${voucher.id}: active, balance 50000.00, expires 2027-12-31`);
      expect(out).toMatch(/^redemption rdm_\S+: subsidy 30000\.00 at rate 0\.30, voucher balance 20000\.00$/m);
      expect(out).toContain('retry answered the same redemption: true (replayed: true)');
      expect(out).toMatch(/^settlement of rdm_\S+: unpaid, net subsidy 30000\.00$/m);
      expect(out).toMatch(/^redemptions on contract HT-\S+: 1$/m);
      expect(out).toMatch(/^a second redemption with invoice INV-\S+ is refused: 409 duplicate_invoice$/m);

      // without its inputs it says which one, exit 2
      const missing = await launch('scripts/client-example.js', [], { env: { ...env, VOUCHER_LEDGER_URL: server.url } });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('set VOUCHER_LEDGER_TOKEN');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      if (isAlive(server.pid)) process.kill(server.pid, 'SIGKILL');
      await database.drop();
    }
  }, 120_000);
});
