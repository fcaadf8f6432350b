// "Verify without us" (decision 0045): the README's Python script, written with pyca/cryptography and hashlib alone,
// checks a live server's public checkpoint, a consistency proof and an inclusion proof, and fails on a forged root.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
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
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server.url}/v1/programs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `公开日志核验 ${i}`, kind: 'compute', budget: '1000.00' }),
      });
      expect(res.status).toBe(201);
      seqs.push(((await res.json()) as { receipt: { seq: number } }).receipt.seq);
    }
    // The issuer's own entry, read as hashed; its leaf is all the public route needs.
    const entry = (await (await fetch(`${server.url}/v1/ledger/entries/${seqs[2]}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      hash: string;
    };
    const leaf = createHash('sha256')
      .update(Buffer.concat([Buffer.from([0]), Buffer.from(entry.hash, 'hex')]))
      .digest('hex');

    const checked = await python(server.url, '--old-size', String(seqs[1]), '--leaf-hash', leaf);
    expect(checked.code, checked.output).toBe(0);
    expect(checked.output.trim().split('\n')).toEqual([
      expect.stringMatching(/^ok checkpoint: tree size 5, root [0-9a-f]{64}, signed by voucher-ledger\/[0-9a-f-]{36}$/),
      'ok consistency: the tree of 2 is a prefix of the tree of 5',
      'ok inclusion: leaf 2 is in the tree of 5',
    ]);

    // A server that hands out the genuine note with another root: the log key's signature no longer holds.
    const note = await (await fetch(`${server.url}/v1/public/checkpoint`)).text();
    const [origin, size, root, ...rest] = note.split('\n');
    const forgedRoot = Buffer.from(root!, 'base64');
    forgedRoot[0] = forgedRoot[0]! ^ 1;
    const forged = [origin, size, forgedRoot.toString('base64'), ...rest].join('\n');
    const key = await (await fetch(`${server.url}/v1/public/log-key`)).text();
    const impostor = createServer((req, res) => res.end(req.url === '/v1/public/log-key' ? key : forged)).listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => impostor.once('listening', resolve));
      const refused = await python(`http://127.0.0.1:${(impostor.address() as AddressInfo).port}`);
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
