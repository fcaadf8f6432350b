// "Verify without us" (decision 0045): the Python script of docs/verify-without-us.md, written with pyca/cryptography and hashlib alone,
// checks a live server's public checkpoint, a consistency proof and an inclusion proof, and fails on a forged root.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, serviceEnvironment, startServer } from '../helpers/processes.js';
import { mintToken } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-database.js';
import { repo, workFolder } from './ops-support.js';

const script = join(repo, 'docs/examples/verify_log.py');
const pythonReady = spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' }).status === 0;
// .ci/run sets REQUIRE_PYTHON: there the suite fails rather than skip when Python cannot run it.
if (!pythonReady && !process.env['REQUIRE_PYTHON'])
  console.warn('skipping the Python "verify without us" check: python3 with pyca/cryptography is missing (pip install cryptography)');

function python(...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('python3', [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

let server: ServerProcess | undefined;
afterAll(() => server?.stop());

describe.skipIf(testEngine !== 'sqlite' || (!pythonReady && !process.env['REQUIRE_PYTHON']))('the Python check of the public log', () => {
  it('verifies the checkpoint, the consistency of an older one and the inclusion of an entry it holds; fails on a forged root', async () => {
    const { dir, keyPath } = workFolder('vl-python-');
    server = await startServer(serviceEnvironment(join(dir, 'ledger.db'), keyPath));
    const token = await mintToken({ role: 'issuer', region: '330100' });
    const create = async (name: string) => {
      const res = await fetch(`${server!.url}/v1/programs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, kind: 'compute', budget: '1000.00' }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { receipt: { seq: number } }).receipt.seq;
    };
    // The reader pins the log key once and keeps the checkpoint it saw.
    const pinned = join(dir, 'log.key');
    const seen = join(dir, 'seen.note');
    writeFileSync(pinned, await (await fetch(`${server.url}/v1/public/log-key`)).text());
    await create('公开日志核验 1');
    await create('公开日志核验 2');
    const first = await python(server.url, '--log-key', pinned, '--save', seen);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/^ok checkpoint: tree size 2, root [0-9a-f]{64}, signed by voucher-ledger\/[0-9a-f-]{36}\n$/);

    const seqs = [await create('公开日志核验 3'), await create('公开日志核验 4'), await create('公开日志核验 5')];
    // The issuer's own entry, read as hashed; its leaf is all the public route needs.
    const entry = (await (await fetch(`${server.url}/v1/ledger/entries/${seqs[0]}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      hash: string;
    };
    const leaf = createHash('sha256')
      .update(Buffer.concat([Buffer.from([0]), Buffer.from(entry.hash, 'hex')]))
      .digest('hex');
    const checked = await python(server.url, '--log-key', pinned, '--old-checkpoint', seen, '--leaf-hash', leaf, '--save', seen);
    expect(checked.code, checked.output).toBe(0);
    expect(checked.output.trim().split('\n')).toEqual([
      expect.stringMatching(/^ok checkpoint: tree size 5, root [0-9a-f]{64}, signed by voucher-ledger\/[0-9a-f-]{36}$/),
      'ok consistency: the tree of 2 is a prefix of the tree of 5',
      'ok inclusion: leaf 2 is in the tree of 5',
    ]);
    expect(readFileSync(seen, 'utf8')).toMatch(/^voucher-ledger\/[0-9a-f-]{36}\n5\n/);
    // Without a pinned key it still checks, and says what it took on trust.
    const trusting = await python(server.url, '--old-size', '2');
    expect(trusting.code, trusting.output).toBe(0);
    expect(trusting.output).toContain('note: the log key was read from the server being checked; pin it with --log-key');
    // A leaf the log does not hold, and a tree size it never signed: a FAIL line each and exit 1, not a traceback.
    const absent = await python(server.url, '--log-key', pinned, '--leaf-hash', '0'.repeat(64));
    expect(absent.code, absent.output).toBe(1);
    expect(absent.output).toContain(`FAIL inclusion: the leaf ${'0'.repeat(64)} is NOT in the tree of 5`);
    const unsigned = await python(server.url, '--log-key', pinned, '--old-size', '99');
    expect(unsigned.code, unsigned.output).toBe(1);
    expect(unsigned.output).toContain('FAIL consistency: the log has no checkpoint of tree size 99');
    for (const run of [absent, unsigned]) expect(run.output).not.toContain('Traceback');

    // A server that hands out the genuine note with another root: the log key's signature no longer holds.
    const note = await (await fetch(`${server.url}/v1/public/checkpoint`)).text();
    const [origin, size, root, ...rest] = note.split('\n');
    const forgedRoot = Buffer.from(root!, 'base64');
    forgedRoot[0] = forgedRoot[0]! ^ 1;
    const forged = [origin, size, forgedRoot.toString('base64'), ...rest].join('\n');
    const impostor = createServer((_req, res) => res.end(forged)).listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => impostor.once('listening', resolve));
      const refused = await python(`http://127.0.0.1:${(impostor.address() as AddressInfo).port}`, '--log-key', pinned);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain('InvalidSignature');
    } finally {
      impostor.close();
    }
  });
});

describe('docs/verify-without-us.md', () => {
  it('shows in full the programs the suite runs', () => {
    const page = readFileSync(join(repo, 'docs/verify-without-us.md'), 'utf8');
    const block = (language: string) => new RegExp('```' + language + '\n([\\s\\S]*?)```').exec(page)?.[1];
    expect(block('python')).toBe(readFileSync(script, 'utf8'));
    expect(block('go')).toBe(readFileSync(join(repo, 'docs/examples/verify-log.go'), 'utf8'));
  });
});
