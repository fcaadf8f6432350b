// The verifier speaks notes (decision 0045): a provider checks its own receipt with its entry and the public log
// key, extends it to a newer public checkpoint; anyone checks two public notes for consistency; an auditor verifies
// an export against a bare public note (cosigned as required), and a note signed by the right key over a wrong
// root fails naming both roots. Every file is what the public routes (or the entry route) answer, saved as is.
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSigningKeyFile } from '../../src/transparency/checkpoints/signing-key.js';
import {
  checkpointText,
  COSIGNATURE_ED25519,
  cosignedMessage,
  keyId,
  rawPublicKey,
  signNote,
  splitNote,
  verifierKeyString,
} from '../../src/transparency/note.js';
import { runVerification } from '../../src/verifier/run.js';
import { runScript } from '../helpers/processes.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

const witnessName = 'witness.example/w1';
const witnessKey = createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 11)]),
  format: 'der',
  type: 'pkcs8',
});
const witnessVerifierKey = verifierKeyString(witnessName, COSIGNATURE_ED25519, rawPublicKey(witnessKey));

let t: TestApp;
let dir: string;
let signingKeyFile: string;
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const verify = (...args: string[]) => runScript(['scripts/verify.ts', ...args], process.env);

/** The files a provider and an auditor save from the server, once every write is done. */
let saved: {
  receipt: string;
  entry: string;
  tampered: string;
  logKey: string;
  logKeyText: string;
  older: string;
  newerText: string;
  newerJson: string;
  proof: string;
  export: string;
};
let seq: number;
let head: { treeSize: number; rootHash: string; origin: string; note: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'verify-notes-'));
  signingKeyFile = join(dir, 'signing-key.pem');
  writeFileSync(signingKeyFile, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
  t = await buildTestApp({ env: { LEDGER_SIGNING_KEY: signingKeyFile, WITNESS_KEYS: witnessVerifierKey } });
  const s = scenario(t);
  const { voucher, contract } = await s.ready();
  const redeemed = await s.redeem(voucher.id, contract.id, '1000.00');
  expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(201);
  seq = redeemed.body.receipt.seq;
  const entry = await t.provider.get(`/v1/ledger/entries/${seq}`);
  expect(entry.status).toBe(200);
  // An amount changed, the hash it carries kept: what a provider holding a doctored copy would have.
  const doctored = structuredClone(entry.body) as { postings: { account: string; amount: string }[] };
  doctored.postings = doctored.postings.map((p) => ({ ...p, amount: p.amount.startsWith('-') ? `-1${p.amount.slice(1)}` : `1${p.amount}` }));
  const older = (await request(t.app).get('/v1/public/checkpoint')).text;
  // The log grows after the receipt: the provider extends its receipt to the newer public checkpoint.
  await s.program();
  await s.program();
  const newer = await request(t.app).get('/v1/public/checkpoint').set('Accept', 'application/json');
  head = newer.body;
  expect(head.treeSize).toBeGreaterThan(redeemed.body.receipt.treeSize);
  const proof = await request(t.app).get(`/v1/public/proofs/consistency?from=${redeemed.body.receipt.treeSize}&to=${head.treeSize}`);
  expect(proof.status).toBe(200);
  const logKey = (await request(t.app).get('/v1/public/log-key')).text;
  const exported = await t.auditor.get('/v1/ledger/export?format=ndjson');
  saved = {
    receipt: file('receipt.json', JSON.stringify(redeemed.body)),
    entry: file('entry.json', entry.text),
    tampered: file('tampered.json', JSON.stringify(doctored)),
    logKey: file('log.key', logKey),
    logKeyText: logKey.trim(),
    older: file('older.txt', older),
    newerText: file('newer.txt', head.note),
    newerJson: file('newer.json', newer.text),
    proof: file('proof.json', proof.text),
    export: file('ledger.ndjson', exported.text),
  };
}, 60_000);
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run verify -- receipt with the entry and the public log key', () => {
  it('recomputes the entry hash and checks the inclusion: exit 0; a doctored entry is exit 1 naming the mismatch', async () => {
    const ok = await verify('receipt', saved.receipt, '--entry', saved.entry, '--log-key', saved.logKey);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(new RegExp(`ok {3}entry: seq ${seq} hashes to [0-9a-f]{64} .*the receipt's\\n`));
    expect(ok.output).toMatch(/ok {3}inclusion: entry \d+ .* is in the tree of size \d+\nVERIFIED/);

    const bad = await verify('receipt', saved.receipt, '--entry', saved.tampered, '--log-key', saved.logKey);
    expect(bad.code, bad.output).toBe(1);
    expect(bad.output).toMatch(new RegExp(`FAIL entry: seq ${seq} hashes to [0-9a-f]{64}, not [0-9a-f]{64}, the hash it carries: the entry was altered`));
    expect(bad.output).toMatch(/FAILED/);
  }, 30_000);

  it('with a newer public checkpoint and the public consistency proof, proves the receipt tree a prefix of it', async () => {
    // The log key given as text on the command line, the checkpoint as the public route's JSON.
    const ok = await verify(
      'receipt',
      saved.receipt,
      '--entry',
      saved.entry,
      '--checkpoint',
      saved.newerJson,
      '--proof',
      saved.proof,
      '--log-key',
      saved.logKeyText,
    );
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(new RegExp(`ok {3}newer checkpoint: \\S+ signed tree size ${head.treeSize}`));
    expect(ok.output).toMatch(new RegExp(`ok {3}consistency: the tree of \\d+ entries is a prefix of the tree of ${head.treeSize}\\nVERIFIED`));
  }, 30_000);
});

describe('npm run verify -- consistency with public notes', () => {
  it('takes the text note and the public JSON form, with --log-key alone', async () => {
    const ok = await verify('consistency', saved.older, saved.newerJson, '--proof', saved.proof, '--log-key', saved.logKey);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(/ok {3}consistency: the tree of \d+ entries is a prefix of the tree of \d+\nVERIFIED/);
  }, 30_000);
});

describe('npm run verify -- EXPORT --checkpoint NOTE', () => {
  it('verifies the export against a bare public note and the log key', async () => {
    const ok = await verify(saved.export, '--checkpoint', saved.newerText, '--log-key', saved.logKey);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(/OK: every check holds/);
    expect(ok.output).not.toMatch(/UNPROVEN/);
  }, 30_000);

  it('counts the cosignatures the note carries under --require-witnesses', async () => {
    const body = splitNote(head.note).text;
    const stamp = Buffer.alloc(8);
    const time = BigInt(Date.parse('2025-12-15T04:00:00Z') / 1000);
    stamp.writeBigUInt64BE(time);
    const signature = sign(null, cosignedMessage(body, time), witnessKey);
    const line = `— ${witnessName} ${Buffer.concat([keyId(witnessName, COSIGNATURE_ED25519, rawPublicKey(witnessKey)), stamp, signature]).toString('base64')}`;
    const cosigned = await t.auditor.post('/v1/ledger/cosignatures', { note: `${body}\n${line}\n` });
    expect(cosigned.status, JSON.stringify(cosigned.body)).toBe(201);
    const publicNote = (await request(t.app).get('/v1/public/checkpoint')).text;
    expect(publicNote).toContain(line);
    const witnesses = file('witnesses.txt', `# the audit office\n${witnessVerifierKey}\n`);

    const ok = await verify(
      saved.export,
      '--checkpoint',
      file('cosigned.txt', publicNote),
      '--log-key',
      saved.logKey,
      '--require-witnesses',
      '1',
      '--witness-keys',
      witnesses,
    );
    expect(ok.code, ok.output).toBe(0);
    // The note without its cosignature does not make the quorum (in process: no script run needed).
    const unwitnessed = await runVerification({
      file: saved.export,
      checkpoint: saved.newerText,
      logKey: saved.logKey,
      witnessKeys: witnesses,
      requireWitnesses: 1,
    });
    expect(unwitnessed.ok).toBe(false);
    expect(unwitnessed.checks.find((c) => c.name === 'checkpoint')?.first?.reason).toMatch(/0 of the required 1 witnesses/);
  }, 30_000);

  it('fails a note signed by the right key over a wrong root, naming both roots', async () => {
    const wrongRoot = createHash('sha256').update('another history').digest();
    const forged = signNote(checkpointText(head.origin, head.treeSize, wrongRoot), head.origin, readSigningKeyFile(signingKeyFile));
    const bad = await verify(saved.export, '--checkpoint', file('wrong-root.txt', forged), '--log-key', saved.logKey);
    expect(bad.code, bad.output).toBe(1);
    expect(bad.output).toContain(`the Merkle root of entries 1…${head.treeSize} is ${head.rootHash}, the note signed ${wrongRoot.toString('hex')}`);
  }, 30_000);

  it('in process: the JWS form with the log key alone; a note beyond the export, or signed by another key, fails', async () => {
    const jws = file('checkpoint.json', JSON.stringify((await t.auditor.get('/v1/ledger/checkpoint')).body));
    const withLogKey = await runVerification({ file: saved.export, checkpoint: jws, logKey: saved.logKeyText });
    expect(withLogKey.checks.find((c) => c.name === 'checkpoint')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/JWS|seq and hash.*C2SP note/),
    });
    expect(withLogKey.ok).toBe(true);

    const lines = (await t.auditor.get('/v1/ledger/export?format=ndjson')).text.split('\n').filter(Boolean);
    const truncated = file('truncated.ndjson', `${lines.slice(0, -1).join('\n')}\n`);
    const short = await runVerification({ file: truncated, checkpoint: saved.newerText, logKey: saved.logKey });
    expect(short.firstFailure).toMatchObject({
      check: 'checkpoint',
      seq: head.treeSize,
      reason: expect.stringMatching(/the note covers \d+ entries but the export ends at seq/),
    });

    const other = generateKeyPairSync('ed25519').privateKey;
    const otherKey = file('other.key', verifierKeyString(head.origin, 1, rawPublicKey(other)));
    const wrongKey = await runVerification({ file: saved.export, checkpoint: saved.newerText, logKey: otherKey });
    expect(wrongKey.firstFailure).toMatchObject({ check: 'checkpoint', reason: expect.stringMatching(/no signature of .* verifies with the log key/) });
    expect(wrongKey.unproven?.afterSeq).toBe(0);
  });
});
