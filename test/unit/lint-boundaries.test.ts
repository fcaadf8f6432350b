// The linter CI runs (.ci/eslint.config.js) fails on a deliberate import cycle and on each broken layer
// boundary, and passes the same files without them: it is not a rule that cannot fail.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';

const CONFIG = fileURLToPath(new URL('../../.ci/eslint.config.js', import.meta.url));
const ESLINT = fileURLToPath(new URL('../../node_modules/eslint/bin/eslint.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'vl-lint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * A project of its own (its tsconfig and the given files), linted as CI lints (the eslint CLI with the
 * project's config, in the project's folder, where the boundaries' paths are resolved); each message.
 */
async function lint(name: string, files: Record<string, string>): Promise<string[]> {
  const dir = join(root, name);
  const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src', 'db', 'scripts'] };
  for (const [path, text] of Object.entries({ 'tsconfig.json': JSON.stringify(tsconfig), ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const run = spawnSync(process.execPath, [ESLINT, '-c', CONFIG, '--format', 'json', 'src'], { cwd: dir, encoding: 'utf8' });
  const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string | null }[] }[];
  return results.flatMap((result) => result.messages.map((m) => `${result.filePath.slice(dir.length + 1)}: ${m.ruleId}`));
}

describe('the linter CI runs', () => {
  it('fails on an import cycle, and passes once it is broken', async () => {
    const cycle = await lint('cycle', {
      'src/alpha/a.ts': "import { b } from '../beta/b.js';\nexport const a = () => b() + 1;\n",
      'src/beta/b.ts': "import { a } from '../alpha/a.js';\nexport const b = () => 1;\nexport const c = () => a();\n",
    });
    expect(cycle).toEqual(['src/alpha/a.ts: import-x/no-cycle', 'src/beta/b.ts: import-x/no-cycle']);
    const acyclic = await lint('acyclic', {
      'src/alpha/a.ts': "import { b } from '../beta/b.js';\nexport const a = () => b() + 1;\n",
      'src/beta/b.ts': 'export const b = () => 1;\n',
    });
    expect(acyclic).toEqual([]);
  });

  it("fails when a feature imports another feature's service, not when it imports its repository", async () => {
    const messages = await lint('features', {
      'src/programs/programs.service.ts': 'export const view = () => 1;\n',
      'src/programs/programs.repository.ts': 'export const limitsOf = () => 2;\n',
      'src/redemptions/redemptions.service.ts': "import { view } from '../programs/programs.service.js';\nexport const redeem = () => view();\n",
      'src/beneficiaries/usage.service.ts': "import { limitsOf } from '../programs/programs.repository.js';\nexport const usage = () => limitsOf();\n",
    });
    expect(messages).toEqual(['src/redemptions/redemptions.service.ts: import-x/no-restricted-paths']);
  });

  it('fails when the unit of work or the ledger writer imports the transparency log (it is wired in deps.ts)', async () => {
    const messages = await lint('write-path', {
      'src/transparency/receipts.ts': 'export const receipts = () => 1;\n',
      'src/ledger/ledger.types.ts': 'export type Entry = { seq: number };\n',
      'src/unit-of-work/unit-of-work.ts': "import { receipts } from '../transparency/receipts.js';\nexport const run = () => receipts();\n",
      'src/transparency/merkle.ts': "import type { Entry } from '../ledger/ledger.types.js';\nexport const leaf = (e: Entry) => e.seq;\n",
    });
    expect(messages).toEqual(['src/unit-of-work/unit-of-work.ts: import-x/no-restricted-paths']);
  });

  it('fails when the verifier imports the service, the rules a feature, or shared/ a feature', async () => {
    const messages = await lint('boundaries', {
      'src/shared/money.ts': 'export const fen = 1n;\n',
      'src/vouchers/vouchers.service.ts': "import { fen } from '../shared/money.js';\nexport const issue = () => fen;\n",
      'src/verifier/verify.ts': "import { fen } from '../shared/money.js';\nexport const check = () => fen;\n",
      'src/rules/subsidy.ts':
        "import { issue } from '../vouchers/vouchers.service.js';\nimport { fen } from '../shared/money.js';\nexport const rule = () => issue() + fen;\n",
      'src/shared/clock.ts': "import { issue } from '../vouchers/vouchers.service.js';\nexport const now = () => issue();\n",
    });
    expect(messages.sort()).toEqual([
      'src/rules/subsidy.ts: import-x/no-restricted-paths',
      'src/shared/clock.ts: import-x/no-restricted-paths',
      'src/verifier/verify.ts: import-x/no-restricted-paths',
    ]);
  });

  it("fails when a feature's rules load or record (a repository, the unit of work), and not when they use its model", async () => {
    const messages = await lint('feature-rules', {
      'src/settlement/settlement.model.ts': 'export type Line = { amount: bigint };\n',
      'src/settlement/settlement.repository.ts': "import type { Line } from './settlement.model.js';\nexport const lines = (): Line[] => [];\n",
      'src/settlement/rules/match.ts': "import type { Line } from '../settlement.model.js';\nexport const match = (lines: Line[]) => lines.length;\n",
      'src/settlement/rules/compose.ts': "import { lines } from '../settlement.repository.js';\nexport const compose = () => lines().length;\n",
    });
    expect(messages).toEqual(['src/settlement/rules/compose.ts: import-x/no-restricted-paths']);
  });
});
