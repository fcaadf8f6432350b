// At least once, across a crash (decision 0044): a real server process delivers to a local receiver that holds the
// first delivery open; the server is killed with SIGKILL mid-delivery and started again on the same database. Every
// event arrives, none is lost, in order, and the only duplicate is the interrupted one, with the same webhook-id.
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, type Db, migrateToLatest } from '../../src/db/database.js';
import { serviceEnvironment, startServer, stopChild } from '../helpers/processes.js';
import { mintToken, TEST_SECRET } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase, testEngine } from '../helpers/test-database.js';

const EVENTS = 6;
const dir = mkdtempSync(join(tmpdir(), 'vl-webhooks-kill-'));
const children: ChildProcess[] = [];
const held: ServerResponse[] = [];
let target: TestDatabase | undefined;
let db: Db | undefined;
const receiver = createServer();
afterAll(async () => {
  await Promise.all(children.map(stopChild));
  for (const res of held) res.destroy();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await db?.destroy();
  await target?.drop();
});

/** Polls `condition` every 50 ms until it holds, or fails after `ms`. */
async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe(`webhooks across a SIGKILL, on ${testEngine}`, () => {
  it('delivers every event after the restart, in order, duplicates only with the same webhook-id', async () => {
    // The receiver: holds the first request open (the server dies while it waits), answers 204 to every other.
    const requests: { id: string; body: string; answered: boolean; headers: Record<string, string> }[] = [];
    receiver.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = {
          id: String(req.headers['webhook-id']),
          body: Buffer.concat(chunks).toString('utf8'),
          answered: false,
          headers: req.headers as Record<string, string>,
        };
        requests.push(request);
        if (requests.length === 1) return void held.push(res);
        request.answered = true;
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    target = await createTestDatabase(join(dir, 'ledger.db'));
    db = createDatabase(target.url);
    await migrateToLatest(db);
    const keyPath = join(dir, 'signing.pem');
    writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    // Polled every 50 ms; an attempt may take 2 s, so a dead process's lease runs out 12 s after it took it (the
    // timeout and a margin of 10 s). Retried 1 s after each failure.
    const env = {
      ...serviceEnvironment(target.url, keyPath),
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_RETRY_SCHEDULE: '1,1,1,1,1,1,1,1,1',
    };
    const first = await startServer(env);
    children.push(first.child);

    const issuer = await mintToken({ role: 'issuer', region: '330100' }, TEST_SECRET, '1h');
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${first.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${issuer}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, any>;
      expect(res.status, JSON.stringify(json)).toBe(201);
      return json;
    };
    const hook = await post('/v1/webhooks', { url: hookUrl, events: ['voucher.granted'] });
    const program = await post('/v1/programs', { name: '回调测试', kind: 'compute', budget: '1000000.00' });
    const vouchers: string[] = [];
    for (let i = 0; i < EVENTS; i += 1)
      vouchers.push(
        (
          await post('/v1/vouchers', {
            programId: program.id,
            beneficiary: { uscc: '913301000000001012', name: '受益企业' },
            amount: `${100 + i}.00`,
            expiresOn: '2027-12-31',
          })
        ).id,
      );

    // The first delivery is open at the receiver: kill the server now, mid-delivery.
    await until('the first delivery is held', () => held.length === 1);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve(null) : first.child.once('exit', resolve)));
    for (const res of held) res.destroy();
    expect(requests).toHaveLength(1);

    const second = await startServer(env);
    children.push(second.child);
    const delivered = async () =>
      Number(
        (
          await db!
            .selectFrom('webhook_deliveries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', '=', 'delivered')
            .executeTakeFirstOrThrow()
        ).n,
      );
    await until('every delivery is delivered', async () => (await delivered()) === EVENTS);

    const answered = requests.filter((request) => request.answered);
    const payloads = answered.map((request) => new Webhook(hook.secret).verify(request.body, request.headers) as { data: { voucherId: string; seq: number } });
    // Every event, once answered, in the order of the ledger.
    expect(payloads.map((payload) => payload.data.voucherId)).toEqual(vouchers);
    const seqs = payloads.map((payload) => payload.data.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // The one duplicate is the interrupted delivery, sent again with its webhook-id.
    expect(requests).toHaveLength(EVENTS + 1);
    expect(requests[1]!.id).toBe(requests[0]!.id);
    expect(requests[1]!.body).toBe(requests[0]!.body);
    expect(new Set(answered.map((request) => request.id)).size).toBe(EVENTS);
    await second.stop();
  }, 60_000);
});
