// The witness as another office runs it, against real server processes: it cosigns a log that only grows, and
// refuses loudly when the same signing key presents a forked history (a copy of the database that went its own way).
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConsistency, readWitnessKeys } from '../../src/verifier/transparency.js';
import { runScript, type ServerProcess, serviceEnvironment, startServer } from '../helpers/processes.js';
import { mintToken } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-database.js';

const dir = mkdtempSync(join(tmpdir(), 'vl-witness-'));
const keyPath = join(dir, 'signing-key.pem');
writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
const witnessKey = join(dir, 'witness.key');
const state = join(dir, 'state');
const tokenFile = join(dir, 'auditor.token');
let server: ServerProcess | undefined;
afterAll(() => server?.stop());

const witness = (url: string) => runScript(['scripts/witness.ts', '--url', url, '--key', witnessKey, '--state', state, '--token-file', tokenFile], process.env);

async function serve(db: string, witnessKeys: string): Promise<string> {
  await server?.stop();
  server = await startServer({ ...serviceEnvironment(db, keyPath), WITNESS_KEYS: witnessKeys });
  return server.url;
}

async function programs(url: string, count: number): Promise<void> {
  const token = await mintToken({ role: 'issuer', region: '330100' });
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/v1/programs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `p-${Math.random()}`, kind: 'compute', budget: '1000.00' }),
    });
    expect(res.status).toBe(201);
  }
}

const copyDatabase = (from: string, to: string) => {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
};

describe.skipIf(testEngine !== 'sqlite')('npm run witness', () => {
  it('--help exits 0; misuse is one line and exit 2', async () => {
    const help = await runScript(['scripts/witness.ts', '--help'], process.env);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/^Usage: npm run witness -- \[options\]/);
    const misuse = await runScript(['scripts/witness.ts', '--url', 'http://127.0.0.1:1', '--key', join(dir, 'none.key')], process.env);
    expect(misuse.code).toBe(2);
    expect(misuse.stderr.trim().split('\n')).toHaveLength(1);
    expect(misuse.stderr).toMatch(/^npm run witness: required option '--state <dir>'/);
  });

  it('cosigns a growing log, and catches two checkpoints signed for forked histories', async () => {
    writeFileSync(tokenFile, await mintToken({ role: 'auditor', region: '330000' }, undefined, '2h'));
    const init = await runScript(['scripts/witness.ts', '--init', 'audit.zj.example/witness', '--key', witnessKey, '--url', 'http://unused'], process.env);
    expect(init.code, init.output).toBe(0);
    const vkey = init.output.trim();
    expect(vkey).toMatch(/^audit\.zj\.example\/witness\+[0-9a-f]{8}\+/);
    const keysFile = join(dir, 'witness-keys.txt');
    writeFileSync(keysFile, `${vkey}\n`);

    const original = join(dir, 'ledger.db');
    let url = await serve(original, vkey);
    await programs(url, 3);
    let run = await witness(url);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/cosigned voucher-ledger\/\S+ at tree size 3, .*first checkpoint seen/);

    // The server publishes the checkpoint with the cosignature; the verifier requires it.
    const auditor = { authorization: `Bearer ${readFileSync(tokenFile, 'utf8')}` };
    const published = (await (await fetch(`${url}/v1/ledger/checkpoint`, { headers: auditor })).json()) as { note: string };
    expect(published.note).toContain('— audit.zj.example/witness ');
    const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: { x?: string }[] };
    const witnessKeys = readWitnessKeys(readFileSync(keysFile, 'utf8'));
    expect(checkConsistency(published.note, published.note, undefined, { jwks, witnessKeys, requireWitnesses: 1 }).ok).toBe(true);
    expect(checkConsistency(published.note, published.note, undefined, { jwks, witnessKeys: [], requireWitnesses: 1 }).ok).toBe(false);

    // A copy of the database as it is now: the operator's second history starts here.
    await server!.stop();
    const fork = join(dir, 'fork.db');
    copyDatabase(original, fork);

    url = await serve(original, vkey);
    await programs(url, 2);
    run = await witness(url);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/at tree size 5, .*consistent with 3/);
    const cosigned = readFileSync(join(state, 'checkpoint'), 'utf8');

    // The same key signs the fork, which grows differently past entry 3 and is larger than what was cosigned.
    url = await serve(fork, vkey);
    await programs(url, 4);
    run = await witness(url);
    expect(run.code, run.output).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^npm run witness: SPLIT VIEW: the tree of 7 entries does not extend the tree of 5 this witness cosigned/);
    expect(readFileSync(join(state, 'checkpoint'), 'utf8')).toBe(cosigned);
    expect(readdirSync(state).some((name) => name.startsWith('split-view-'))).toBe(true);
    const forked = (await (await fetch(`${url}/v1/ledger/checkpoint`, { headers: auditor })).json()) as { note: string };
    expect(forked.note).not.toContain('audit.zj.example/witness');
  }, 180_000);

  it('refuses a checkpoint whose JWS names another tree than its note, or does not verify', async () => {
    const own = mkdtempSync(join(tmpdir(), 'vl-witness-jws-'));
    const ownState = join(own, 'state');
    const keysFile = join(dir, 'witness-keys.txt');
    if (!existsSync(keysFile)) {
      const init = await runScript(['scripts/witness.ts', '--init', 'audit.zj.example/witness', '--key', witnessKey, '--url', 'http://unused'], process.env);
      expect(init.code, init.output).toBe(0);
      writeFileSync(keysFile, init.output);
      writeFileSync(tokenFile, await mintToken({ role: 'auditor', region: '330000' }, undefined, '2h'));
    }
    const url = await serve(join(own, 'ledger.db'), readFileSync(keysFile, 'utf8').trim());
    const auditor = { authorization: `Bearer ${readFileSync(tokenFile, 'utf8')}` };
    await programs(url, 2);
    const older = (await (await fetch(`${url}/v1/ledger/checkpoint`, { headers: auditor })).json()) as { jws: string };
    await programs(url, 1);

    // A proxy in front of the real server that swaps the JWS of the checkpoint it passes on.
    let swap: (jws: string) => string = (jws) => jws;
    const proxy = createServer((req, res) => {
      void (async () => {
        const upstream = await fetch(`${url}${req.url}`, { headers: { authorization: req.headers.authorization ?? '' } });
        let body = await upstream.text();
        if (req.url === '/v1/ledger/checkpoint') {
          const checkpoint = JSON.parse(body) as { jws: string };
          body = JSON.stringify({ ...checkpoint, jws: swap(checkpoint.jws) });
        }
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(body);
      })();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const run = (target: string) =>
      runScript(['scripts/witness.ts', '--url', target, '--key', witnessKey, '--state', ownState, '--token-file', tokenFile], process.env);
    try {
      // The older JWS is validly signed, but for the tree of 2 entries while the note shows 3.
      swap = () => older.jws;
      let result = await run(proxied);
      expect(result.code, result.output).toBe(1);
      expect(result.stderr).toMatch(
        /^npm run witness: the checkpoint's JWS \(tree size 2, root [0-9a-f]{64}\) and its note \(tree size 3, root [0-9a-f]{64}\) name different trees/,
      );
      expect(existsSync(join(ownState, 'checkpoint'))).toBe(false);

      // A JWS whose signature is not the log's.
      swap = (jws) => `${jws.slice(0, -4)}${jws.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
      result = await run(proxied);
      expect(result.code, result.output).toBe(1);
      expect(result.stderr).toMatch(/^npm run witness: the checkpoint's JWS does not verify against the log's pinned key/);
      expect(existsSync(join(ownState, 'checkpoint'))).toBe(false);

      // Straight from the server, JWS and note agree, and the checkpoint is cosigned.
      result = await run(url);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/at tree size 3, .*first checkpoint seen/);
    } finally {
      proxy.close();
    }
  }, 120_000);
});
