import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactDatabaseUrl } from '../../src/db/database.js';
import { serviceEnvironment, startServer } from '../helpers/processes.js';
import { createTestDatabase, testEngine } from '../helpers/test-database.js';

describe('database credentials', () => {
  it('are redacted wherever a database URL is shown', () => {
    expect(redactDatabaseUrl('postgres://ledger:s3cret@db.example:5432/ledger?sslmode=require')).toBe('postgres://ledger:***@db.example:5432/ledger');
    expect(redactDatabaseUrl('./data/voucher-ledger.db')).toBe('./data/voucher-ledger.db');
  });

  it.skipIf(testEngine !== 'postgres')('never appear in the server log, though the server logs which database it uses', async () => {
    const target = await createTestDatabase();
    const url = new URL(target.url);
    url.username = 'postgres';
    url.password = 'pw-that-must-not-leak'; // trust authentication ignores it; the log must not show it
    const dir = mkdtempSync(join(tmpdir(), 'vl-credentials-'));
    writeFileSync(join(dir, 'key.pem'), generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const server = await startServer(serviceEnvironment(url.toString(), join(dir, 'key.pem')));
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(server.log.join('\n')).toContain('postgres:***@127.0.0.1');
      expect(server.log.join('\n')).not.toContain('pw-that-must-not-leak');
    } finally {
      await server.stop();
      await target.drop();
    }
  });
});
