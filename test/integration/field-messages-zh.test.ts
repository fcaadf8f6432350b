// The messages of `errors[]` in Chinese for callers who ask for problems in Chinese (Accept-Language: zh…),
// each with its English kept as `messageEn`, and the detail of a validation failure built from the first of
// them; English, without `messageEn`, otherwise. Worked examples through the real app, on both engines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, PROVIDER, ZHEJIANG } from '../helpers/fixtures.js';
import { buildTestApp, type Client, type TestApp } from '../helpers/test-app.js';

const ZH = { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' };

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

const programCount = async (as: Client) => ((await as.get('/v1/programs?limit=200')).body.items as unknown[]).length;
const voucherCount = async () => ((await t.issuer.get('/v1/vouchers?limit=200')).body.items as unknown[]).length;

describe('field messages in Chinese', () => {
  it('a bad amount: the message, the English beside it and the detail name the field', async () => {
    const res = await t.issuer.post(
      '/v1/vouchers',
      { programId: 'prg_x', beneficiary: { uscc: ENTERPRISE, name: 'a' }, amount: '12.345', expiresOn: '2026-12-31' },
      ZH,
    );
    expect(res.status).toBe(400);
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(res.body).toMatchObject({ code: 'validation_failed', title: '请求参数无效', field: 'amount' });
    expect(res.body.errors).toEqual([
      {
        field: 'amount',
        message: '须为以元为单位的金额字符串，整数部分至多 13 位、小数至多 2 位，如 "1234.50"',
        messageEn: 'must be yuan as a string with at most 13 integer digits and 2 decimals, e.g. "1234.50"',
      },
    ]);
    expect(res.body.detail).toBe('amount：须为以元为单位的金额字符串，整数部分至多 13 位、小数至多 2 位，如 "1234.50"');
    expect(res.body.detailEn).toBe('amount: must be yuan as a string with at most 13 integer digits and 2 decimals, e.g. "1234.50"');

    const zero = await t.issuer.post(
      '/v1/vouchers',
      { programId: 'prg_x', beneficiary: { uscc: ENTERPRISE, name: 'a' }, amount: '0.00', expiresOn: '2026-12-31' },
      ZH,
    );
    expect(zero.body.errors).toEqual([{ field: 'amount', message: '须大于 0.00', messageEn: 'must be greater than 0.00' }]);
    const number = await t.issuer.post(
      '/v1/vouchers',
      { programId: 'prg_x', beneficiary: { uscc: ENTERPRISE, name: 'a' }, amount: 100, expiresOn: '2026-12-31' },
      ZH,
    );
    expect(number.body.errors).toEqual([
      { field: 'amount', message: '须为以元为单位的金额字符串，如 "1234.50"', messageEn: 'must be a string of yuan such as "1234.50"' },
    ]);
    expect(await voucherCount()).toBe(0);
  });

  it('an unknown key, one error per key, and zod’s own message where a schema sets none', async () => {
    const before = await programCount(t.issuer);
    const res = await t.issuer.post('/v1/programs', { name: '算力券', kind: 'compute', budget: '100.00', colour: 'red', size: 1 }, ZH);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'colour', message: '不是可识别的字段', messageEn: 'is not a recognised field' },
      { field: 'size', message: '不是可识别的字段', messageEn: 'is not a recognised field' },
    ]);
    expect(res.body.detail).toBe('colour：不是可识别的字段');

    // policyId's .min(1) carries no message of its own: zod's default, translated from the table too.
    const empty = await t.issuer.post('/v1/programs', { name: '算力券', kind: 'compute', budget: '100.00', policyId: '' }, ZH);
    expect(empty.body.errors).toEqual([
      { field: 'policyId', message: '过短：至少须有 1 个字符', messageEn: 'Too small: expected string to have >=1 characters' },
    ]);
    const typed = await t.issuer.post('/v1/programs', { name: 7, kind: 'compute', budget: '100.00' }, ZH);
    expect(typed.body.errors).toEqual([{ field: 'name', message: '须为字符串', messageEn: 'must be a string' }]);
    const array = await t.issuer.post('/v1/programs', [], ZH);
    expect(array.body).toMatchObject({
      field: 'body',
      errors: [{ field: 'body', message: '输入无效：应为对象，实际为数组', messageEn: 'Invalid input: expected object, received array' }],
    });
    expect(await programCount(t.issuer)).toBe(before);
  });

  it('a bad USCC, nested (beneficiary.uscc) and at the top (uscc)', async () => {
    const bad = `${ENTERPRISE.slice(0, 17)}${ENTERPRISE.endsWith('0') ? '1' : '0'}`;
    const voucher = await t.issuer.post(
      '/v1/vouchers',
      { programId: 'prg_x', beneficiary: { uscc: bad, name: 'a' }, amount: '1.00', expiresOn: '2026-12-31' },
      ZH,
    );
    expect(voucher.status).toBe(400);
    expect(voucher.body.errors).toEqual([
      {
        field: 'beneficiary.uscc',
        message: '须为 18 位统一社会信用代码，且校验码符合 GB 32100-2015',
        messageEn: 'must be an 18-character Unified Social Credit Code with a valid GB 32100-2015 check character',
      },
    ]);
    expect(voucher.body.detail).toBe('beneficiary.uscc：须为 18 位统一社会信用代码，且校验码符合 GB 32100-2015');

    const services = [{ code: 'GPU-A100', name: 'A100', kind: 'compute', autonomous: false }];
    const bankAccount = { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' };
    const provider = await t.issuer.post('/v1/providers', { uscc: 12, name: '杭州算力服务有限公司', bankAccount, services }, ZH);
    expect(provider.body.errors).toEqual([
      { field: 'uscc', message: '须为 18 位统一社会信用代码', messageEn: 'must be an 18-character Unified Social Credit Code' },
    ]);
    expect((await t.issuer.get(`/v1/providers/${PROVIDER}`)).status).toBe(404);
  });

  it('funding[1].ratio, services[1].code and the funding rules of the use case, by position in brackets', async () => {
    const before = await programCount(t.issuer);
    const ratio = await t.issuer.post(
      '/v1/programs',
      {
        name: '共担券',
        kind: 'compute',
        budget: '100.00',
        funding: [
          { region: HANGZHOU, ratio: '1' },
          { region: ZHEJIANG, ratio: '0' },
        ],
      },
      ZH,
    );
    expect(ratio.status).toBe(400);
    expect(ratio.body).toMatchObject({ field: 'funding[1].ratio', detail: 'funding[1].ratio：须大于 0 且不大于 1' });
    expect(ratio.body.errors).toEqual([{ field: 'funding[1].ratio', message: '须大于 0 且不大于 1', messageEn: 'must be greater than 0 and at most 1' }]);
    const decimals = await t.issuer.post(
      '/v1/programs',
      {
        name: '共担券',
        kind: 'compute',
        budget: '100.00',
        funding: [
          { region: HANGZHOU, ratio: '0.6' },
          { region: ZHEJIANG, ratio: '0.39999' },
        ],
      },
      ZH,
    );
    expect(decimals.body.errors).toEqual([
      {
        field: 'funding[1].ratio',
        message: '须为 0 至 1 之间、至多 4 位小数的小数字符串，如 "0.6"',
        messageEn: 'must be a decimal string between 0 and 1 with at most 4 decimals, e.g. "0.6"',
      },
    ]);
    const twice = await t.issuer.post(
      '/v1/programs',
      {
        name: '共担券',
        kind: 'compute',
        budget: '100.00',
        funding: [
          { region: HANGZHOU, ratio: '0.5' },
          { region: HANGZHOU, ratio: '0.4' },
        ],
      },
      ZH,
    );
    expect(twice.body.errors).toEqual([
      { field: 'funding[1].region', message: '重复列出地区 330100（已见于 funding[0]）', messageEn: 'lists region 330100 again (already funding[0])' },
      { field: 'funding', message: '各出资比例之和须恰为 1，现为 0.9', messageEn: 'ratios must sum to exactly 1; they sum to 0.9' },
    ]);
    expect(await programCount(t.issuer)).toBe(before);

    const bankAccount = { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' };
    const services = [
      { code: 'GPU-A100', name: 'A100', kind: 'compute', autonomous: false },
      { code: 'GPU-A100', name: '语料', kind: 'corpus' },
    ];
    const repeated = await t.issuer.post('/v1/providers', { uscc: PROVIDER, name: '杭州算力服务有限公司', bankAccount, services }, ZH);
    expect(repeated.status).toBe(400);
    expect(repeated.body.errors).toEqual([
      { field: 'services[1].code', message: '与 services[0] 的服务编码重复', messageEn: 'repeats the code of services[0]' },
    ]);
    expect((await t.issuer.get(`/v1/providers/${PROVIDER}`)).status).toBe(404);
  });

  it('a witness’s note that does not parse, in Chinese too', async () => {
    const res = await t.auditor.post('/v1/ledger/cosignatures', { note: 'not a note' }, ZH);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        field: 'note',
        message: '不是签名注记：签名行之前没有空行，或末尾没有换行符',
        messageEn: 'not a signed note: no blank line before the signatures, or no final newline',
      },
    ]);
    expect(res.body.detailEn).toBe('note: not a signed note: no blank line before the signatures, or no final newline');
    expect((await t.auditor.get('/v1/ledger/checkpoint')).body.note).not.toMatch(/not a note/);
  });

  it('in English (no Accept-Language, or English first) the messages are as they were, with no messageEn', async () => {
    const body = {
      name: '共担券',
      kind: 'compute',
      budget: '100.00',
      funding: [
        { region: HANGZHOU, ratio: '1' },
        { region: ZHEJIANG, ratio: '0' },
      ],
    };
    for (const headers of [{}, { 'Accept-Language': 'en-US, zh;q=0.5' }] as Record<string, string>[]) {
      const res = await t.issuer.post('/v1/programs', body, headers);
      expect(res.body).toMatchObject({ title: 'Bad Request', detail: 'funding[1].ratio: must be greater than 0 and at most 1' });
      expect(res.body.errors).toEqual([{ field: 'funding[1].ratio', message: 'must be greater than 0 and at most 1' }]);
      expect(res.body.detailEn).toBeUndefined();
    }
  });
});
