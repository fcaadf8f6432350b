// Problems in Chinese for callers who ask (Accept-Language: zh…), English otherwise; and the error-code table
// in docs/api.md, the codes the source can raise and the Chinese translations kept in step with one another.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHINESE_PROBLEMS, prefersChinese } from '../../src/http/problems.zh.js';
import { ENTERPRISE } from '../helpers/fixtures.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

describe('problems in Chinese', () => {
  it('a validation failure in Chinese names the field, its message in Chinese, and keeps the English detail', async () => {
    const res = await t.issuer.post('/v1/programs', { name: '', kind: 'compute', budget: '100.00' }, { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(res.headers['vary']).toMatch(/Accept-Language/i);
    expect(res.body).toMatchObject({ code: 'validation_failed', title: '请求参数无效', field: 'name', status: 400 });
    expect(res.body.detail).toBe('name：不能为空');
    expect(res.body.detailEn).toBe('name: must not be empty');
    expect(res.body.errors).toEqual([{ field: 'name', message: '不能为空', messageEn: 'must not be empty' }]);
  });

  it('a business rule and a missing token in Chinese; English by default and when English ranks first', async () => {
    const s = scenario(t);
    const program = await s.program({ budget: '1000.00' });
    const body = { programId: program.id, beneficiary: { uscc: ENTERPRISE, name: 'a' }, amount: '1000.01', expiresOn: '2026-12-31' };
    const zh = await t.issuer.post('/v1/vouchers', body, { 'Accept-Language': 'zh' });
    expect(zh.status).toBe(422);
    expect(zh.body).toMatchObject({ code: 'insufficient_budget', title: '预算不足', detail: '项目可用预算不足以完成本次发券或预算调减。' });
    expect(zh.body.detailEn).toContain('1000.00');

    const english = await t.issuer.post('/v1/vouchers', body, { 'Accept-Language': 'en-US, zh;q=0.5' });
    expect(english.body).toMatchObject({ code: 'insufficient_budget', title: 'Unprocessable Content' });
    expect(english.body.detailEn).toBeUndefined();
    expect(english.headers['content-language']).toBeUndefined();
    expect((await t.issuer.post('/v1/vouchers', body)).body.title).toBe('Unprocessable Content');

    const anonymous = await request(t.app).get('/v1/programs/prg_x').set('Accept-Language', 'zh-Hans-CN');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ code: 'missing_token', title: '缺少访问令牌' });
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="voucher-ledger"');
  });

  it('reads Accept-Language by quality, then order', () => {
    expect(prefersChinese('zh-CN')).toBe(true);
    expect(prefersChinese('ZH-tw;q=0.9, en;q=0.8')).toBe(true);
    expect(prefersChinese('en;q=0.7, zh;q=0.9')).toBe(true);
    expect(prefersChinese('en, zh')).toBe(false);
    expect(prefersChinese('zh;q=0, en;q=0.1')).toBe(false);
    expect(prefersChinese('zhx')).toBe(false);
    expect(prefersChinese('*')).toBe(false);
    expect(prefersChinese(undefined)).toBe(false);
  });
});

describe('error codes', () => {
  const api = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const table = api.slice(api.indexOf('## Error codes'));
  const documented = new Set(
    [...table.slice(0, table.indexOf('\n## ', 1) === -1 ? undefined : table.indexOf('\n## ', 1)).matchAll(/^\| \d{3} \| (.+?) \|/gm)].flatMap((row) =>
      [...row[1]!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!),
    ),
  );

  /** Every code the source can raise: DomainError codes, rule violations and problem codes mapped to a status. */
  function raisedCodes(): Set<string> {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.includes('/verifier/')) files.push(path);
      }
    };
    walk(new URL('../../src', import.meta.url).pathname);
    const codes = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of [/DomainError\(\s*'([a-z_]+)'/g, /violation\(\s*'([a-z_]+)'/g, /\bcode: '([a-z_]+)'/g])
        for (const m of text.matchAll(pattern)) if (m[1] !== 'custom') codes.add(m[1]!);
    }
    return codes;
  }

  it('every code the service can raise is in the table of docs/api.md, and every documented code has Chinese', () => {
    expect(documented.size).toBeGreaterThan(30);
    const undocumented = [...raisedCodes()].filter((code) => !documented.has(code));
    expect(undocumented).toEqual([]);
    expect([...documented].filter((code) => !(code in CHINESE_PROBLEMS))).toEqual([]);
  });
});
