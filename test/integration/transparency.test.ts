import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import request from 'supertest';
import { migrationsFor } from '../../db/migrations/index.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase, engineOf, migrateToLatest } from '../../src/db/database.js';
import { createApp } from '../../src/app/app.js';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import { accounts, transfer } from '../../src/ledger/ledger.types.js';
import { createLogger } from '../../src/logger.js';
import { fixedClock } from '../../src/shared/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKeyFrom, readSigningKeyFile } from '../../src/transparency/checkpoints/signing-key.js';
import { appendedNodes, appendPlan, consistencyPath, inclusionPath, leafHash, type NodeGetter, rootOf } from '../../src/transparency/merkle.js';
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
import { createTransparencyLog } from '../../src/transparency/transparency.service.js';
import { verifyConsistency, verifyInclusion } from '../../src/verifier/merkle.js';
import { runVerification } from '../../src/verifier/run.js';
import { ndjsonBatches } from '../../src/verifier/sources.js';
import { checkConsistency, checkReceipt, readWitnessKeys } from '../../src/verifier/transparency.js';
import { runScript } from '../helpers/processes.js';
import { snapshot } from '../helpers/ledger-checks.js';
import { HANGZHOU, OTHER_PROVIDER } from '../helpers/fixtures.js';
import { appendLegacyEntry } from '../helpers/legacy-ledger.js';
import { createTestDatabase, testEngine } from '../helpers/test-database.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, clientFor, mintToken, TEST_SECRET, type TestApp } from '../helpers/test-app.js';
import { relink } from '../helpers/tamper.js';

// A straightforward reference over the entries' hashes (RFC 9162 §2.1 read literally), independent of storage.
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
const memo = new Map<string, Buffer>();
function mth(d: string[]): Buffer {
  const key = `${d[0]}:${d.length}`;
  const known = memo.get(key);
  if (known) return known;
  const root =
    d.length === 0
      ? sha()
      : d.length === 1
        ? sha(Buffer.from([0]), Buffer.from(d[0]!, 'hex'))
        : sha(Buffer.from([1]), mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
  memo.set(key, root);
  return root;
}
const refPath = (m: number, d: string[]): Buffer[] =>
  d.length <= 1
    ? []
    : m < k(d.length)
      ? [...refPath(m, d.slice(0, k(d.length))), mth(d.slice(k(d.length)))]
      : [...refPath(m - k(d.length), d.slice(k(d.length))), mth(d.slice(0, k(d.length)))];
const refSub = (m: number, d: string[], b: boolean): Buffer[] =>
  m === d.length
    ? b
      ? []
      : [mth(d)]
    : m <= k(d.length)
      ? [...refSub(m, d.slice(0, k(d.length)), b), mth(d.slice(k(d.length)))]
      : [...refSub(m - k(d.length), d.slice(k(d.length)), false), mth(d.slice(0, k(d.length)))];
const hex = (list: Buffer[]) => list.map((b) => b.toString('hex'));

type Entry = { seq: number; hash: string; prevHash: string; [key: string]: unknown };

let t: TestApp;
let dir: string;
let keyFile: string;
let entries: Entry[];
let jwks: { keys: { kty?: string; crv?: string; x?: string }[] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'transparency-'));
  keyFile = join(dir, 'signing-key.pem');
  writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
  t = await buildTestApp({ env: { LEDGER_SIGNING_KEY: keyFile } });
  const s = scenario(t);
  const program = await s.program();
  // 70 entries: the program's funding and 69 vouchers, each issued in its own write.
  for (let i = 0; i < 69; i++) await s.voucher(program.id, { amount: '1000.00' });
  entries = (await t.auditor.get('/v1/ledger?limit=1000')).body.entries;
  jwks = (await request(t.app).get('/.well-known/jwks.json')).body;
}, 120_000);
afterAll(() => t?.close());

describe('the Merkle tree in the database', () => {
  it('serves the reference root, inclusion proof and consistency proof for every pair on trees of 1..70 entries', async () => {
    expect(entries).toHaveLength(70);
    const hashes = entries.map((e) => e.hash);
    const log = createTransparencyLog(
      t.db,
      t.clock,
      Promise.reject(new Error('not signing')).catch(() => undefined as never),
    );
    for (let n = 1; n <= 70; n++) {
      const tree = hashes.slice(0, n);
      expect((await log.root(t.db, n)).equals(mth(tree)), `root ${n}`).toBe(true);
      for (let s = 1; s <= n; s++) expect(hex(await log.inclusion(t.db, s, n)), `PATH(${s}, ${n})`).toEqual(hex(refPath(s - 1, tree)));
      for (let m = 1; m <= n; m++) expect(hex(await log.consistency(t.db, m, n)), `PROOF(${m}, ${n})`).toEqual(hex(refSub(m, tree, true)));
    }
  }, 120_000);

  it('GET /v1/ledger/proofs/inclusion and /consistency answer the same proofs, which the verifier accepts', async () => {
    const hashes = entries.map((e) => e.hash);
    for (const [seq, size] of [
      [1, 1],
      [1, 70],
      [37, 70],
      [64, 65],
      [70, 70],
      [5, 37],
    ] as const) {
      const res = await t.auditor.get(`/v1/ledger/proofs/inclusion?seq=${seq}&treeSize=${size}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        seq,
        treeSize: size,
        hash: hashes[seq - 1],
        rootHash: mth(hashes.slice(0, size)).toString('hex'),
        path: hex(refPath(seq - 1, hashes.slice(0, size))),
      });
      const path = (res.body.path as string[]).map((h) => Buffer.from(h, 'hex'));
      expect(verifyInclusion(BigInt(seq - 1), BigInt(size), leafHash(hashes[seq - 1]!), path, mth(hashes.slice(0, size)))).toBe(true);
    }
    for (const [from, to] of [
      [1, 70],
      [32, 70],
      [33, 70],
      [69, 70],
      [70, 70],
      [7, 12],
    ] as const) {
      const res = await t.provider.get(`/v1/ledger/proofs/consistency?from=${from}&to=${to}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({
        from,
        to,
        fromRootHash: mth(hashes.slice(0, from)).toString('hex'),
        toRootHash: mth(hashes.slice(0, to)).toString('hex'),
        path: hex(refSub(from, hashes.slice(0, to), true)),
      });
      const path = (res.body.path as string[]).map((h) => Buffer.from(h, 'hex'));
      expect(verifyConsistency(BigInt(from), BigInt(to), mth(hashes.slice(0, from)), mth(hashes.slice(0, to)), path)).toBe(true);
    }
  });

  it('refuses bad or out-of-range parameters with a problem naming the field, and changes nothing', async () => {
    const before = await snapshot(t.db);
    const cases: [string, number, string, string][] = [
      ['/v1/ledger/proofs/inclusion?seq=x&treeSize=5', 400, 'validation_failed', 'seq'],
      ['/v1/ledger/proofs/inclusion?seq=1', 400, 'validation_failed', 'treeSize'],
      ['/v1/ledger/proofs/inclusion?seq=1&treeSize=5&extra=1', 400, 'validation_failed', 'extra'],
      ['/v1/ledger/proofs/inclusion?seq=0&treeSize=5', 422, 'proof_range_invalid', 'seq'],
      ['/v1/ledger/proofs/inclusion?seq=6&treeSize=5', 422, 'proof_range_invalid', 'seq'],
      ['/v1/ledger/proofs/inclusion?seq=1&treeSize=71', 422, 'beyond_tree_head', 'treeSize'],
      ['/v1/ledger/proofs/consistency?from=-1&to=5', 400, 'validation_failed', 'from'],
      ['/v1/ledger/proofs/consistency?from=1', 400, 'validation_failed', 'to'],
      ['/v1/ledger/proofs/consistency?from=0&to=5', 422, 'proof_range_invalid', 'from'],
      ['/v1/ledger/proofs/consistency?from=6&to=5', 422, 'proof_range_invalid', 'from'],
      ['/v1/ledger/proofs/consistency?from=1&to=99999999999', 422, 'beyond_tree_head', 'to'],
    ];
    for (const [path, status, code, field] of cases) {
      const res = await t.auditor.get(path);
      expect(res.status, path).toBe(status);
      expect(res.type).toBe('application/problem+json');
      expect(res.body, path).toMatchObject({ code, field });
    }
    // Scoped like the ledger: a provider proves its own entries only; another's is as if it did not exist.
    expect((await t.provider.get('/v1/ledger/proofs/inclusion?seq=2&treeSize=70')).body).toMatchObject({ code: 'not_found', field: 'seq' });
    expect((await (await t.as({ role: 'auditor', region: '330200' })).get('/v1/ledger/proofs/inclusion?seq=2&treeSize=70')).status).toBe(404);
    expect((await t.issuer.get('/v1/ledger/proofs/inclusion?seq=2&treeSize=70')).status).toBe(200);
    expect((await request(t.app).get('/v1/ledger/proofs/consistency?from=1&to=2')).status).toBe(401);
    expect(await snapshot(t.db)).toBe(before);
  });
});

describe('checkpoints, receipts and rewrites', () => {
  it('GET /v1/ledger/checkpoint returns the JWS (with treeSize and rootHash) and a C2SP note the verifier accepts', async () => {
    const res = await t.auditor.get('/v1/ledger/checkpoint');
    const root = mth(entries.map((e) => e.hash));
    expect(res.body.checkpoint).toMatchObject({ seq: 70, hash: entries[69]!.hash, treeSize: 70, rootHash: root.toString('hex') });
    const origin = `voucher-ledger/${res.body.checkpoint.ledgerId}`;
    expect(res.body.note).toMatch(new RegExp(`^${origin}\\n70\\n${root.toString('base64').replaceAll('+', '\\+')}\\n\\n— ${origin} [A-Za-z0-9+/]+=*\\n$`));
    expect(res.body.verifierKey).toMatch(new RegExp(`^${origin}\\+[0-9a-f]{8}\\+`));
    expect(checkConsistency(res.body.note, res.body.note, undefined, { jwks }).ok).toBe(true);
    // Another key does not verify it.
    const other = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32, 7).toString('base64url') }] };
    expect(checkConsistency(res.body.note, res.body.note, undefined, { jwks: other }).ok).toBe(false);
  });

  it('every write that appends answers with a receipt; a batch of concurrent writes shares one signed checkpoint', async () => {
    const s = scenario(t);
    const program = await s.program();
    expect(program.receipt).toMatchObject({ seq: 71, treeSize: 71 });
    expect(checkReceipt(JSON.stringify(program), { jwks })).toMatchObject({ ok: true });
    const before = Number(
      (
        await t.db
          .selectFrom('checkpoints')
          .select((eb) => eb.fn.countAll<bigint>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        t.issuer.post('/v1/vouchers', {
          programId: program.id,
          beneficiary: { uscc: OTHER_PROVIDER, name: '某企业' },
          amount: '10.00',
          expiresOn: '2027-12-31',
        }),
      ),
    );
    const after = Number(
      (
        await t.db
          .selectFrom('checkpoints')
          .select((eb) => eb.fn.countAll<bigint>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const notes = new Set(results.map((res) => res.body.receipt.checkpoint));
    // One signature per commit, not per entry: fewer checkpoints than writes, one per distinct note.
    expect(after - before).toBe(notes.size);
    expect(notes.size).toBeLessThan(results.length);
    for (const res of results) {
      expect(res.status).toBe(201);
      expect(checkReceipt(JSON.stringify(res.body), { jwks }), JSON.stringify(res.body.receipt)).toMatchObject({ ok: true });
    }
    // A tampered receipt fails: another entry's hash, or a path of another leaf.
    const receipt = results[0]!.body.receipt;
    expect(checkReceipt(JSON.stringify({ ...receipt, hash: entries[0]!.hash }), { jwks }).ok).toBe(false);
    expect(checkReceipt(JSON.stringify({ ...receipt, seq: receipt.seq - 1 }), { jwks }).ok).toBe(false);
    // A replayed write carries a receipt for the entry it made.
    const headers = { 'Idempotency-Key': 'transparency-replay' };
    const body = { programId: program.id, beneficiary: { uscc: OTHER_PROVIDER, name: '某企业' }, amount: '10.00', expiresOn: '2027-12-31' };
    const first = await t.issuer.post('/v1/vouchers', body, headers);
    const replay = await t.issuer.post('/v1/vouchers', body, headers);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.receipt).toMatchObject({ seq: first.body.receipt.seq, hash: first.body.receipt.hash });
    expect(checkReceipt(JSON.stringify(replay.body), { jwks }).ok).toBe(true);
  });

  it('a rewritten tail, signed with the log key itself, fails consistency with the checkpoint held before; a receipt from before does not verify against it', async () => {
    const held = await t.auditor.get('/v1/ledger/checkpoint');
    const receipt = (await scenario(t).program()).receipt as unknown as { seq: number; [key: string]: unknown };
    const later = await t.auditor.get('/v1/ledger/checkpoint');
    const proof = await t.auditor.get(`/v1/ledger/proofs/consistency?from=${held.body.checkpoint.treeSize}&to=${later.body.checkpoint.treeSize}`);
    expect(checkConsistency(held.body.note, later.body.note, JSON.stringify(proof.body), { jwks }).ok).toBe(true);

    // The operator edits entry 60 and everything after it, re-links the chain, rebuilds the tree and signs.
    const all: Entry[] = (await t.auditor.get('/v1/ledger?limit=1000')).body.entries;
    const forged = relink(
      all.map((e) => (e.seq === 60 ? { ...e, recordedAt: '2025-12-15T03:59:59.000Z' } : e)),
      59,
    );
    const nodes = new Map<string, Buffer>();
    forged.forEach((e, index) => {
      const lefts = appendPlan(index).lefts.map((ref) => nodes.get(`${ref.level}:${ref.index}`)!);
      for (const node of appendedNodes(index, leafHash(e.hash), lefts)) nodes.set(`${node.level}:${node.index}`, node.hash);
    });
    const get: NodeGetter = (level, index) => nodes.get(`${level}:${index}`)!;
    const size = forged.length;
    const origin = `voucher-ledger/${held.body.checkpoint.ledgerId}`;
    const signing = await signingKeyFrom(readSigningKeyFile(keyFile));
    const forgedNote = signNote(checkpointText(origin, size, rootOf(get, size)), origin, signing.privateKey);
    const heldSize = held.body.checkpoint.treeSize as number;
    const forgedProof = JSON.stringify({ from: heldSize, to: size, path: hex(consistencyPath(get, heldSize, size)) });
    const result = checkConsistency(held.body.note, forgedNote, forgedProof, { jwks });
    expect(result.ok).toBe(false);
    expect(result.lines.join('\n')).toMatch(/NOT a prefix/);
    // The receipt verifies against the checkpoint it came with, but its entry is not in the rewritten tree.
    expect(checkReceipt(JSON.stringify(receipt), { jwks }).ok).toBe(true);
    const rewrittenPath = hex(inclusionPath(get, receipt.seq - 1, size));
    expect(checkReceipt(JSON.stringify({ ...receipt, checkpoint: forgedNote, inclusionPath: rewrittenPath }), { jwks }).ok).toBe(false);
  });
});

describe('migration 0008', () => {
  it('backfills the tree of a ledger written before it, and appends continue on it', async () => {
    const target = await createTestDatabase();
    const db = createDatabase(target.url);
    try {
      const engine = engineOf(db);
      const schema = await engine.migrationSchema(db);
      const before = Object.fromEntries(Object.entries(migrationsFor(engine)).filter(([name]) => name < '0008'));
      expect(
        (await new Migrator({ db, provider: { getMigrations: async () => before }, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest())
          .error,
      ).toBeUndefined();
      const hashes: string[] = [];
      await db.transaction().execute(async (trx) => {
        for (let i = 1; i <= 37; i++) {
          const entry = await appendLegacyEntry(
            trx,
            {
              type: 'program.funded',
              actor: { sub: 'old', role: 'issuer', region: HANGZHOU },
              data: { region: HANGZHOU, programId: `prg_${i}`, kind: 'compute' },
              postings: transfer(accounts.appropriation(HANGZHOU), accounts.program(`prg_${i}`), 100n),
            },
            new Date('2025-12-01T00:00:00Z'),
          );
          hashes.push(entry.hash);
        }
      });
      await migrateToLatest(db);
      const log = createTransparencyLog(
        db,
        fixedClock('2025-12-15T04:00:00Z'),
        Promise.reject(new Error('not signing')).catch(() => undefined as never),
      );
      for (let n = 1; n <= 37; n++) {
        expect((await log.root(db, n)).equals(mth(hashes.slice(0, n))), `root ${n}`).toBe(true);
        for (let m = 1; m <= n; m++) expect(hex(await log.consistency(db, m, n))).toEqual(hex(refSub(m, hashes.slice(0, n), true)));
      }
      // The next append, through the service, extends the backfilled tree.
      const app = createApp({
        db,
        config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: ':memory:', JWT_SECRET: TEST_SECRET }),
        logger: createLogger('silent'),
        clock: fixedClock('2025-12-15T04:00:00Z'),
      });
      const res = await clientFor(app, await mintToken({ role: 'issuer', region: HANGZHOU })).post('/v1/programs', {
        name: '新券',
        kind: 'compute',
        budget: '1000.00',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const entry38 = (await readEntries(db, { afterSeq: 37n }, 1))[0]!;
      expect(res.body.receipt).toMatchObject({ seq: 38, treeSize: 38, rootHash: mth([...hashes, entry38.hash]).toString('hex') });
      expect(res.body.receipt.inclusionPath).toEqual(hex(refPath(37, [...hashes, entry38.hash])));
    } finally {
      await db.destroy();
      await target.drop();
    }
  });
});

describe('cosignatures and the verify command', () => {
  it('keeps a configured witness cosignature of a signed checkpoint and publishes it; refuses the rest naming note', async () => {
    const seed = Buffer.alloc(32, 9);
    const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
    const name = 'witness.example/w1';
    const vkey = verifierKeyString(name, COSIGNATURE_ED25519, rawPublicKey(privateKey));
    const w = await buildTestApp({ env: { WITNESS_KEYS: vkey } });
    try {
      await scenario(w).program();
      const checkpoint = (await w.auditor.get('/v1/ledger/checkpoint')).body;
      const body = splitNote(checkpoint.note).text;
      const cosignatureLine = (text: string, time: bigint) => {
        const stamp = Buffer.alloc(8);
        stamp.writeBigUInt64BE(time);
        const signature = sign(null, cosignedMessage(text, time), privateKey);
        return `— ${name} ${Buffer.concat([keyId(name, COSIGNATURE_ED25519, rawPublicKey(privateKey)), stamp, signature]).toString('base64')}`;
      };
      const now = BigInt(Date.parse('2025-12-15T04:00:00Z') / 1000);
      const before = await snapshot(w.db);
      const refused: [unknown, number, string][] = [
        [{ note: 'not a note' }, 400, 'validation_failed'],
        [{ note: body }, 400, 'validation_failed'],
        [{ note: `${body}\n${cosignatureLine(body, now).replace(/.{4}$/, 'AAAA')}\n` }, 422, 'cosignature_invalid'],
        [{ note: `${body}\n${cosignatureLine(body, now + 3600n)}\n` }, 422, 'cosignature_invalid'],
        [{ note: `${body.replace(/\n[^\n]+\n$/, `\n${Buffer.alloc(32).toString('base64')}\n`)}\n${cosignatureLine(body, now)}\n` }, 422, 'checkpoint_unknown'],
        [{ note: `${body}\n${cosignatureLine(body, now)}\n`, extra: 1 }, 400, 'validation_failed'],
      ];
      for (const [payload, status, code] of refused) {
        const res = await w.auditor.post('/v1/ledger/cosignatures', payload);
        expect(res.status, JSON.stringify(res.body)).toBe(status);
        expect(res.body).toMatchObject({ code, field: expect.stringMatching(/^(note|extra)$/) });
      }
      expect((await w.provider.post('/v1/ledger/cosignatures', { note: `${body}\n${cosignatureLine(body, now)}\n` })).status).toBe(403);
      expect(await snapshot(w.db)).toBe(before);

      const line = cosignatureLine(body, now);
      const accepted = await w.auditor.post('/v1/ledger/cosignatures', { note: `${body}\n${line}\n` });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
      expect(accepted.body.note).toBe(`${checkpoint.note}${line}\n`);
      expect((await w.auditor.get('/v1/ledger/checkpoint')).body.note).toBe(`${checkpoint.note}${line}\n`);
      const jwksW = (await request(w.app).get('/.well-known/jwks.json')).body;
      const witnesses = { jwks: jwksW, witnessKeys: readWitnessKeys(vkey), requireWitnesses: 1 };
      expect(checkConsistency(accepted.body.note, accepted.body.note, undefined, witnesses).ok).toBe(true);
      expect(checkConsistency(checkpoint.note, checkpoint.note, undefined, witnesses).ok).toBe(false);
    } finally {
      await w.close();
    }
  });

  it('npm run verify -- receipt and -- consistency: 0 when it holds, 1 when it does not, 2 when misused', async () => {
    const jwksFile = join(dir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify(jwks));
    const write = await scenario(t).program();
    const good = join(dir, 'receipt.json');
    writeFileSync(good, JSON.stringify(write));
    const forged = join(dir, 'forged.json');
    writeFileSync(forged, JSON.stringify({ ...write, receipt: { ...(write.receipt as unknown as object), hash: entries[0]!.hash } }));
    const ok = await runScript(['scripts/verify.ts', 'receipt', good, '--jwks', jwksFile], process.env);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(/ok {3}inclusion: entry \d+ .* is in the tree of size \d+\nVERIFIED/);
    const bad = await runScript(['scripts/verify.ts', 'receipt', forged, '--jwks', jwksFile], process.env);
    expect(bad.code, bad.output).toBe(1);
    expect(bad.output).toMatch(/FAIL inclusion/);
    const misuse = await runScript(['scripts/verify.ts', 'receipt', good], process.env);
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toMatch(/^npm run verify: give the log key: --log-key KEY .* or --jwks FILE/);

    const held = (await t.auditor.get('/v1/ledger/checkpoint')).body;
    await scenario(t).program();
    const later = (await t.auditor.get('/v1/ledger/checkpoint')).body;
    const proof = (await t.auditor.get(`/v1/ledger/proofs/consistency?from=${held.checkpoint.treeSize}&to=${later.checkpoint.treeSize}`)).body;
    const files = ['old.json', 'new.json', 'proof.json'].map((name) => join(dir, name));
    [held, later, proof].forEach((json, i) => writeFileSync(files[i]!, JSON.stringify(json)));
    const consistent = await runScript(['scripts/verify.ts', 'consistency', files[0]!, files[1]!, '--proof', files[2]!, '--jwks', jwksFile], process.env);
    expect(consistent.code, consistent.output).toBe(0);
    writeFileSync(files[2]!, JSON.stringify({ ...proof, path: proof.path.map(() => '00'.repeat(32)) }));
    const inconsistent = await runScript(['scripts/verify.ts', 'consistency', files[0]!, files[1]!, '--proof', files[2]!, '--jwks', jwksFile], process.env);
    expect(proof.path.length).toBeGreaterThan(0);
    expect(inconsistent.code, inconsistent.output).toBe(1);
    expect(inconsistent.output).toMatch(/NOT a prefix/);
  }, 60_000);
});

describe('npm run verify with a checkpoint note', () => {
  it('rebuilds the tree from the ledger and checks the note root and its witnesses; a rewritten export fails it', async () => {
    const jwksFile = join(dir, 'jwks-note.json');
    writeFileSync(jwksFile, JSON.stringify(jwks));
    const checkpointFile = join(dir, 'checkpoint-note.json');
    writeFileSync(checkpointFile, JSON.stringify((await t.auditor.get('/v1/ledger/checkpoint')).body));
    const all: Entry[] = (await t.auditor.get('/v1/ledger?limit=1000')).body.entries;
    const exported = join(dir, 'export.ndjson');
    writeFileSync(exported, all.map((e) => `${JSON.stringify(e)}\n`).join(''));
    // The export, and on PostgreSQL the database itself (an in-memory SQLite test database cannot be opened twice).
    for (const source of [{ file: exported }, ...(testEngine === 'postgres' ? [{ db: t.databaseUrl }] : [])]) {
      const report = await runVerification({ ...source, checkpoint: checkpointFile, jwks: jwksFile });
      expect(
        report.checks.find((c) => c.name === 'checkpoint'),
        JSON.stringify(source),
      ).toMatchObject({ status: 'pass', detail: expect.stringMatching(/C2SP note .* Merkle root/) });
      expect(report.ok).toBe(true);
    }

    const noWitnesses = join(dir, 'no-witnesses.txt');
    writeFileSync(noWitnesses, '# none yet\n');
    const unwitnessed = await runVerification({ file: exported, checkpoint: checkpointFile, jwks: jwksFile, witnessKeys: noWitnesses, requireWitnesses: 1 });
    expect(unwitnessed.ok).toBe(false);
    expect(unwitnessed.checks.find((c) => c.name === 'checkpoint')?.first?.reason).toMatch(/0 of the required 1 witnesses/);

    // An export whose entry 12 was edited and the chain re-hashed from there: the note's root no longer matches.
    const rewritten = relink(
      all.map((e) => (e.seq === 12 ? { ...e, recordedAt: '2025-12-15T03:00:00.000Z' } : e)),
      11,
    );
    const file = join(dir, 'rewritten.ndjson');
    writeFileSync(file, rewritten.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const caught = await runVerification({ file, checkpoint: checkpointFile, jwks: jwksFile });
    expect(caught.ok).toBe(false);
    expect(caught.checks.find((c) => c.name === 'checkpoint')).toMatchObject({ status: 'fail' });
    // The note alone (the JWS check passes when the forger re-signs the head's JWS; here the root tells).
    const { noteCheckpointCheck } = await import('../../src/verifier/note-checkpoint.js');
    const noteOnly = await noteCheckpointCheck(JSON.parse(readFileSync(checkpointFile, 'utf8')).note, { jwks }, ndjsonBatches(file));
    expect(noteOnly).toMatchObject({ status: 'fail', first: { reason: expect.stringMatching(/history up to it was rewritten/) } });
  }, 60_000);
});
