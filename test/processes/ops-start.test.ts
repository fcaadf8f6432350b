// How operators start and stop the service: `npm start` runs the compiled server (no compiling when dist/ is
// fresh), SIGTERM to the npm process drains the requests in flight and exits 0 with no server left behind, and a
// production install (dev dependencies pruned: no TypeScript, no tsx) runs the server and every CLI.
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { HANGZHOU } from '../helpers/fixtures.js';
import { serviceEnvironment } from '../helpers/processes.js';
import { mintToken } from '../helpers/test-app.js';
import { createTestDatabase, testEngine } from '../helpers/test-database.js';
import { ensureBuilt, isAlive, launch, repo, startListening, workFolder } from './ops-support.js';

beforeAll(() => ensureBuilt(), 180_000);

/** The parent pid of a process (Linux). */
const parentOf = (pid: number) =>
  Number(
    readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ')[1],
  );

/** POSTs `body` in two halves: resolves `sendRest` to send the second; `response` settles with the answer. */
function slowPost(url: string, token: string, body: string) {
  let sendRest!: () => void;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.write(body.slice(0, 10));
    sendRest = () => req.end(body.slice(10));
  });
  return { response, sendRest: () => sendRest() };
}

describe('npm start', () => {
  it('runs the compiled server as npm’s own child; SIGTERM to npm finishes the request in flight, then exits 0 leaving nothing running', async () => {
    const { dir, keyPath } = workFolder('vl-ops-start-');
    const database = await createTestDatabase(join(dir, 'ledger.db'));
    const server = await startListening('npm', ['start'], { cwd: repo, env: serviceEnvironment(database.url, keyPath) });
    try {
      expect(server.lines.join('\n')).not.toContain('compiling');
      // exec'd: no shell between npm and node, so npm's forwarded signal reaches the server itself
      expect(parentOf(server.pid)).toBe(server.child.pid);

      const token = await mintToken({ role: 'issuer', region: HANGZHOU });
      const inFlight = slowPost(`${server.url}/v1/programs`, token, JSON.stringify({ name: '杭州算力券 drain', kind: 'compute', budget: '1000.00' }));
      await sleep(300); // the server has the request's headers and waits for its body
      server.child.kill('SIGTERM');
      await sleep(500);
      // no new connections while draining
      await expect(fetch(`${server.url}/livez`)).rejects.toThrow();
      inFlight.sendRest();
      const answered = await inFlight.response;
      expect(answered.status, answered.body).toBe(201);

      expect(await server.exited).toBe(0);
      expect(isAlive(server.pid)).toBe(false);
      const log = server.lines.join('\n');
      expect(log).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
      expect(log).toContain('"msg":"stopped"');
    } finally {
      if (isAlive(server.pid)) process.kill(server.pid, 'SIGKILL');
      await database.drop();
    }
  }, 60_000);
});

// About the install, not the engine: once, in the SQLite project.
describe.skipIf(testEngine !== 'sqlite')('a production install (npm prune --omit=dev)', () => {
  it('runs the server and every CLI from dist/ with the production dependencies only: no TypeScript, no tsx', async () => {
    const prod = workFolder('vl-ops-prod-');
    const root = join(prod.dir, 'app');
    mkdirSync(join(root, 'scripts'), { recursive: true });
    for (const file of ['package.json', 'scripts/launch.mjs', 'scripts/build.mjs']) cpSync(join(repo, file), join(root, file));
    cpSync(join(repo, 'dist'), join(root, 'dist'), { recursive: true });
    // node_modules as `npm prune --omit=dev` leaves it (from the lockfile), and without tsx: the CLIs must not need it
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
    for (const [path, entry] of Object.entries(lock.packages)) {
      const topLevel = /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path);
      if (!topLevel || entry.dev || entry.devOptional || path === 'node_modules/tsx' || !existsSync(join(repo, path))) continue;
      mkdirSync(dirname(join(root, path)), { recursive: true });
      symlinkSync(join(repo, path), join(root, path), 'dir');
    }
    for (const absent of ['typescript', 'tsx', 'vitest', 'supertest']) expect(existsSync(join(root, 'node_modules', absent))).toBe(false);

    const env = { ...serviceEnvironment(join(prod.dir, 'ledger.db'), prod.keyPath), NODE_OPTIONS: '' };
    const server = await startListening(process.execPath, ['scripts/launch.mjs', 'src/server.js'], { cwd: root, env });
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect(server.lines.join('\n')).not.toMatch(/compiling|newer than dist/);
      const token = await launch('scripts/token.js', ['--role', 'issuer', '--region', HANGZHOU], { cwd: root, env });
      expect(token.code, token.stderr).toBe(0);
      const created = await fetch(`${server.url}/v1/programs`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token.stdout.trim()}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: '杭州算力券', kind: 'compute', budget: '1000.00' }),
      });
      expect(created.status).toBe(201);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);

    const db = join(prod.dir, 'ledger.db');
    const ran = async (entry: string, args: string[]) => {
      const result = await launch(entry, args, { cwd: root, env });
      expect(result.code, `${entry} ${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result;
    };
    expect((await ran('scripts/verify.js', ['--db', db])).stdout).toContain('OK');
    await ran('scripts/export.js', ['--db', db, '--out', join(prod.dir, 'ledger.ndjson')]);
    expect((await ran('scripts/verify.js', [join(prod.dir, 'ledger.ndjson')])).stdout).toContain('OK');
    await ran('scripts/backup.js', ['--db', db, '--out', join(prod.dir, 'backup.db')]);
    await ran('scripts/sweep-expired.js', ['--db', db]);
    for (const cli of ['token', 'verify', 'export', 'backup', 'sweep-expired'])
      expect((await ran(`scripts/${cli}.js`, ['--help'])).stdout).toMatch(/^Usage: npm run /);
  }, 90_000);

  it('the launcher says in one line what is missing', async () => {
    const result = await launch('scripts/no-such-tool.js', []);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'voucher-ledger: dist/scripts/no-such-tool.js does not exist: run npm run build (with dev dependencies installed) first',
    ]);
  });
});
