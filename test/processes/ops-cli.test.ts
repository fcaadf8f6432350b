// The command line tools as a user meets them (compiled, as `npm run <tool>` runs them): --help on every one exits
// 0; misuse is one line on stderr without a stack trace and exit 2; the verifier's 1 means a failed check only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceEnvironment } from '../helpers/processes.js';
import { buildTestApp } from '../helpers/test-app.js';
import { scenario } from '../helpers/scenario.js';
import { createTestDatabase, testEngine } from '../helpers/test-database.js';
import { ensureBuilt, launch, workFolder } from './ops-support.js';

beforeAll(() => ensureBuilt(), 180_000);

const TOOLS = { token: 'token', verify: 'verify', export: 'export', backup: 'backup', 'sweep-expired': 'sweep', bench: 'bench', demo: 'demo' } as const;
const { dir, keyPath } = workFolder('vl-ops-cli-');
const env = { ...serviceEnvironment(join(dir, 'ledger.db'), keyPath), NODE_ENV: 'development' };
const run = (tool: keyof typeof TOOLS, args: string[]) => launch(`scripts/${tool}.js`, args, { env });

function expectMisuse(result: { code: number | null; stderr: string; stdout: string }, script: string, message: RegExp) {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^npm run ${script}: `));
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:|ERR_/);
  expect(result.stdout).toBe('');
}

describe.skipIf(testEngine !== 'sqlite')('every CLI', () => {
  it('--help prints usage and options on stdout and exits 0; an unknown option is one line and exit 2', async () => {
    for (const [tool, script] of Object.entries(TOOLS) as [keyof typeof TOOLS, string][]) {
      const help = await run(tool, ['--help']);
      expect(help.code, `${tool}: ${help.stderr}`).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: npm run ${script} -- \\[options\\]`));
      expect(help.stdout).toContain('-h, --help');
      // with the mandatory options given (commander reports a missing one first)
      const mandatory = { token: ['--role', 'issuer', '--region', '330100'], export: ['--out', join(dir, 'u.ndjson')], backup: ['--out', join(dir, 'u.db')] };
      const unknown = await run(tool, [...((mandatory as Record<string, string[]>)[tool] ?? []), '--no-such-option']);
      expectMisuse(unknown, script, /unknown option '--no-such-option' \(see npm run \S+ -- --help\)$/);
    }
  }, 90_000);

  it('bad arguments and paths: one line naming the option or path, exit 2, nothing written', async () => {
    expectMisuse(await run('token', ['--role', 'issuer']), 'token', /region: /);
    expectMisuse(await run('token', ['--role', 'mayor', '--region', '330100']), 'token', /argument 'mayor' is invalid\. Allowed choices are/);
    expectMisuse(await run('token', ['--role', 'issuer', '--region', '330100', '--ttl', 'soon']), 'token', /--ttl soon/);
    expectMisuse(await run('export', ['--out', join(dir, 'x.ndjson'), '--db', join(dir, 'missing.db')]), 'export', /no database at .*missing\.db/);
    expectMisuse(await run('export', ['--out', join(dir, 'x.ndjson'), '--from', '2026-02-30']), 'export', /^npm run export: --from: /);
    expectMisuse(await run('export', ['--out', join(dir, 'nowhere', 'x.ndjson'), '--db', keyPath]), 'export', /the folder .*nowhere does not exist/);
    expectMisuse(await run('export', ['--db', keyPath]), 'export', /required option '--out <file>' not specified/);
    expectMisuse(
      await run('sweep-expired', ['--db', join(dir, 'missing.db')]),
      'sweep',
      /no database at .*missing\.db \(give --db PATH, or set DATABASE_URL\)/,
    );
    expectMisuse(await run('verify', []), 'verify', /give either an NDJSON FILE or --db PATH\|URL/);
    expectMisuse(await run('verify', [join(dir, 'missing.ndjson')]), 'verify', /verification could not run: .*missing\.ndjson/);
    expectMisuse(await run('verify', ['--db', 'postgres://auditor:hunter2@127.0.0.1:1/none']), 'verify', /verification could not run/);
    expect((await run('verify', ['--db', 'postgres://auditor:hunter2@127.0.0.1:1/none'])).stderr).not.toContain('hunter2');
    expectMisuse(await run('verify', ['a.ndjson', 'b.ndjson']), 'verify', /too many arguments/);
    expectMisuse(await run('verify', ['--hash-threads', 'many', 'a.ndjson']), 'verify', /argument 'many' is invalid\. must be a whole number/);
    expectMisuse(await run('bench', ['--only', 'export,coffee']), 'bench', /sections are export, verify, http, inproc/);
    expectMisuse(await run('bench', ['--entries', '-5']), 'bench', /--entries/);
  }, 90_000);
});

describe('the verifier’s exit codes', () => {
  it('0 when every check holds, 1 for a tampered ledger (naming the seq), 2 when it cannot run — on the project’s engine', async () => {
    const t = await buildTestApp({ sqlitePath: testEngine === 'sqlite' ? join(dir, `verify-${Date.now()}.db`) : undefined });
    try {
      const s = scenario(t);
      const program = await s.program();
      await s.voucher(program.id);
      const exported = await t.auditor.get('/v1/ledger/export?format=ndjson');
      const good = join(dir, 'good.ndjson');
      writeFileSync(good, exported.text);
      const ok = await run('verify', [good]);
      expect(ok.code, ok.stdout).toBe(0);
      expect((await run('verify', ['--db', t.databaseUrl])).code).toBe(0);

      const lines = exported.text.trim().split('\n');
      const tampered = join(dir, 'tampered.ndjson');
      writeFileSync(
        tampered,
        [lines[0], lines[1]!.replace(/"hash":"(.)/, (_, c: string) => `"hash":"${c === '0' ? '1' : '0'}`), ...lines.slice(2)].join('\n') + '\n',
      );
      const bad = await run('verify', [tampered, '--json']);
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.stdout).firstFailure).toMatchObject({ seq: 2 });

      // export and sweep on this engine's database, through the CLIs
      const out = join(dir, `cli-${testEngine}.ndjson`);
      expect((await run('export', ['--db', t.databaseUrl, '--out', out])).code).toBe(0);
      expect((await run('verify', [out])).code).toBe(0);
      const swept = await run('sweep-expired', ['--db', t.databaseUrl]);
      expect(swept.code, swept.stderr).toBe(0);
      expect(swept.stdout).toContain('0 voucher(s) expired');
      expect(swept.stdout).toContain('0 webhook delivery record(s) past their retention removed');
      expect(swept.stdout).toContain('0 webhook event(s) past their retention removed');
    } finally {
      await t.close();
    }
    const empty = await createTestDatabase(join(dir, 'never-created.db'));
    expect((await run('verify', ['--db', empty.url])).code).toBe(2);
    await empty.drop();
  }, 90_000);
});
