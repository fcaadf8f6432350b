// Every field message the source can put in `errors[]` has a Chinese translation: the test reads the source
// for the custom messages of the zod schemas and of the use cases' field errors, so a new message without a
// row in src/http/field-messages.zh.ts fails here. zod's own defaults are taken from zod itself.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FIELD_MESSAGES, fieldMessageInChinese } from '../../src/http/field-messages.zh.js';
import { toProblem } from '../../src/http/problems.js';
import { inChinese } from '../../src/http/problems.zh.js';
import { parseCheckpointText, splitNote } from '../../src/transparency/note.js';
import { DomainError, fieldErrorsOf, fieldPath } from '../../src/shared/errors.js';

const SRC = new URL('../../src', import.meta.url).pathname;

/** The source that can answer a request: not the offline verifier, the generated client or the process config. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(SRC);
  return files.filter((file) => !/^(verifier|client)\//.test(relative(SRC, file)) && relative(SRC, file) !== 'config.ts');
}

const LITERAL = String.raw`(['"\`])((?:\\.|(?!\1)[^\\])*)\1`;
/** Where a message is written: a schema's `error`, a check's or refinement's message, an issue's, a field error's. */
const MESSAGE_SITES = [
  new RegExp(String.raw`\{\s*error:\s*${LITERAL}`, 'g'),
  new RegExp(String.raw`\.(?:regex|refine|min|max|length)\([^\n]*?,\s*${LITERAL}\s*\)`, 'g'),
  new RegExp(String.raw`\.int\(\s*${LITERAL}\s*\)`, 'g'),
  new RegExp(String.raw`addIssue\(\{[^\n]*?message:\s*${LITERAL}`, 'g'),
  new RegExp(String.raw`\{\s*field:[^\n]*?message:\s*${LITERAL}`, 'g'),
  // http/well-formed.ts: the text problems it names a field by
  new RegExp(String.raw`if \([A-Z_]+\.test\(text\)\) return ${LITERAL}`, 'g'),
];

/** A value for each `${…}` of a template: any text for most, a message for a message, a number for a count. */
const SAMPLES: Record<string, string> = {
  keyProblem: 'must not contain control characters (other than tab and line breaks)',
  '(err as Error).message': 'Invalid Record Length: expect 4, got 3 on line 2',
};
const sample = (template: string) => template.replace(/\$\{([^}]*)\}/g, (_, expr: string) => SAMPLES[expr] ?? '7');

function customMessages(): { file: string; message: string }[] {
  const found: { file: string; message: string }[] = [];
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const site of MESSAGE_SITES)
      for (const m of text.matchAll(site)) {
        const raw = m[2]!.replace(/\\(['"`\\])/g, '$1');
        found.push({ file: relative(SRC, file), message: m[1] === '`' ? sample(raw) : raw });
      }
  }
  return found;
}

describe('field messages in Chinese', () => {
  it('every custom message in the source has a translation', () => {
    const messages = customMessages();
    // The scan finds the messages it should (a guard against a pattern that silently finds nothing).
    expect(messages.length).toBeGreaterThan(60);
    for (const known of [
      'must not be empty',
      'must be greater than 0.00',
      'is required for a compute service',
      'must be a whole number from 1 to 7',
      'is not a cap bucket of a 7 program',
      "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    ])
      expect(messages.map((m) => m.message)).toContain(known);
    expect(messages.filter((m) => fieldMessageInChinese(m.message) === undefined)).toEqual([]);
  });

  it('zod’s own messages, as zod writes them, have a translation', () => {
    const issues = [
      z.object({ a: z.string() }).safeParse({ a: 1 }),
      z.object({ a: z.string() }).safeParse({}),
      z.object({ a: z.string() }).safeParse([]),
      z.object({ a: z.boolean() }).safeParse({ a: 'yes' }),
      z.object({ a: z.number() }).safeParse({ a: null }),
      z.object({ a: z.array(z.string()) }).safeParse({ a: 'x' }),
      z.record(z.string(), z.string()).safeParse(3),
      z.string().min(1).safeParse(''),
      z.string().max(64).safeParse('x'.repeat(65)),
      z.array(z.string()).min(1).safeParse([]),
      z.array(z.string()).max(2).safeParse(['a', 'b', 'c']),
      z.number().min(1).safeParse(0),
      z.number().max(9).safeParse(10),
      z.number().positive().safeParse(0),
      z
        .string()
        .regex(/^[a-z]+$/)
        .safeParse('A'),
      z.literal(1).safeParse(2),
      z.enum(['a', 'b']).safeParse('c'),
      z.union([z.tuple([z.string()]), z.tuple([z.number()])]).safeParse(true),
      z
        .string()
        .refine(() => false)
        .safeParse('x'),
    ].flatMap((result) => (result.success ? [] : result.error.issues.map((issue) => issue.message)));
    expect(issues.length).toBeGreaterThanOrEqual(19);
    expect(issues.filter((message) => fieldMessageInChinese(message) === undefined)).toEqual([]);
    expect(fieldMessageInChinese('Invalid input: expected string, received number')).toBe('输入无效：应为字符串，实际为数字');
    expect(fieldMessageInChinese('Invalid input: expected object, received undefined')).toBe('输入无效：应为对象，实际为空（未提供）');
    expect(fieldMessageInChinese('Too big: expected string to have <=64 characters')).toBe('过长：至多 64 个字符');
    expect(fieldMessageInChinese('Too small: expected number to be >0')).toBe('过小：须大于 0');
    expect(fieldMessageInChinese('Unrecognized key: "colour"')).toBe('无法识别的字段："colour"');
  });

  it('a witness note’s own messages (cosignatures name the note by them), as note.ts writes them, have a translation', () => {
    const messages = [
      () => splitNote('no blank line\n'),
      () => splitNote('text\n\nnot a signature\n'),
      () => splitNote('text\n\n\u2014 witness AAAA\n'),
      () => parseCheckpointText('origin\nsize\nroot\n'),
    ].map((parse) => {
      try {
        parse();
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('expected the note to be refused');
    });
    expect(messages.filter((message) => fieldMessageInChinese(message) === undefined)).toEqual([]);
    expect(fieldMessageInChinese(messages[2]!)).toBe('witness 的签名过短');
  });

  it('translates the varying part as it is, a nested message by the table, and nothing it does not know', () => {
    expect(fieldMessageInChinese('must be at most 200 characters')).toBe('不能超过 200 个字符');
    expect(fieldMessageInChinese('must be one of compute, corpus, model')).toBe('须为以下之一：compute, corpus, model');
    expect(fieldMessageInChinese('has a key that must be well-formed Unicode text (it holds a lone surrogate)')).toBe(
      '有一个键名须为格式正确的 Unicode 文本（其中含有孤立代理项）',
    );
    expect(fieldMessageInChinese("must be the issuer's region 330100 or a region that covers it")).toBe('须为发放机构所在地区 330100 或涵盖该地区的上级地区');
    // A number where a count is expected, a nested message the table lacks, a message it has never seen.
    expect(fieldMessageInChinese('must be at most many characters')).toBeUndefined();
    expect(fieldMessageInChinese('has a key that is odd')).toBeUndefined();
    expect(fieldMessageInChinese('must be a prime number')).toBeUndefined();
    expect(fieldMessageInChinese('must not be empty ')).toBeUndefined();
  });

  it('each row says in Chinese what it says in English: the same placeholders, and Chinese text', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]).sort();
    for (const [english, chinese] of FIELD_MESSAGES) {
      expect(placeholders(chinese), english).toEqual(placeholders(english));
      expect(chinese, english).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(new Set(FIELD_MESSAGES.map(([english]) => english)).size).toBe(FIELD_MESSAGES.length);
  });
});

describe('a problem in Chinese', () => {
  const problem = (errors: { field: string; message: string }[]) => inChinese(toProblem(DomainError.validation(errors), '/v1/programs'));

  it('gives each field message in Chinese with its English as messageEn, and the first as the detail', () => {
    const zh = problem([
      { field: 'funding[1].ratio', message: 'must be greater than 0 and at most 1' },
      { field: 'name', message: 'must not be empty' },
    ]);
    expect(zh).toMatchObject({
      title: '请求参数无效',
      field: 'funding[1].ratio',
      detail: 'funding[1].ratio：须大于 0 且不大于 1',
      detailEn: 'funding[1].ratio: must be greater than 0 and at most 1',
    });
    expect(zh.errors).toEqual([
      { field: 'funding[1].ratio', message: '须大于 0 且不大于 1', messageEn: 'must be greater than 0 and at most 1' },
      { field: 'name', message: '不能为空', messageEn: 'must not be empty' },
    ]);
  });

  it('keeps a message it has no translation for in English, without messageEn, and then the general detail', () => {
    const zh = problem([
      { field: 'note', message: 'a message no row translates' },
      { field: 'name', message: 'must not be empty' },
    ]);
    expect(zh.errors).toEqual([
      { field: 'note', message: 'a message no row translates' },
      { field: 'name', message: '不能为空', messageEn: 'must not be empty' },
    ]);
    expect(zh.detail).toBe('请求中的字段、查询参数、路径参数或请求头不符合要求，请按 field 所指字段更正后重试。（字段：note）');
    expect(zh.detailEn).toBe('note: a message no row translates');
  });

  it('leaves the detail of other codes as the table has it, and a code without a translation in English', () => {
    const rule = inChinese(toProblem(new DomainError('future_date', 'body[2].paidOn 2026-01-01 is after today (Asia/Shanghai)', { field: 'body[2].paidOn' })));
    expect(rule).toMatchObject({
      detail: '截止日期、付款日期或收款日期晚于今天（北京时间）。（字段：body[2].paidOn）',
      detailEn: 'body[2].paidOn 2026-01-01 is after today (Asia/Shanghai)',
    });
    const unknown = { code: 'no_such_code', title: 'Error', detail: 'x', errors: [{ field: 'a', message: 'must not be empty' }] };
    expect(inChinese(unknown)).toBe(unknown);
  });
});

describe('field paths', () => {
  it('keys dotted, array positions in brackets; a path starting at a position starts with the root', () => {
    expect(fieldPath(['beneficiary', 'uscc'])).toBe('beneficiary.uscc');
    expect(fieldPath(['services', 0, 'code'])).toBe('services[0].code');
    expect(fieldPath(['funding', 1, 'ratio'])).toBe('funding[1].ratio');
    expect(fieldPath(['a', 2, 3, 'b'])).toBe('a[2][3].b');
    expect(fieldPath(['limits', '2025'])).toBe('limits.2025');
    expect(fieldPath([2, 'paidOn'])).toBe('body[2].paidOn');
    expect(fieldPath([], 'query')).toBe('query');
  });

  it('fieldErrorsOf names every issue so, below a base path, and each unknown key by itself', () => {
    const schema = z.strictObject({ services: z.array(z.strictObject({ code: z.string('must be a string') })) });
    const result = schema.safeParse({ services: [{ code: 'a' }, { code: 1, extra: true, more: 2 }], other: 1 });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrorsOf(result.error, 'body')).toEqual([
      { field: 'services[1].code', message: 'must be a string' },
      { field: 'services[1].extra', message: 'is not a recognised field' },
      { field: 'services[1].more', message: 'is not a recognised field' },
      { field: 'other', message: 'is not a recognised field' },
    ]);
    const row = z.strictObject({ amount: z.string('must be a string') }).safeParse({ amount: 1 });
    if (row.success) throw new Error('expected a failure');
    expect(fieldErrorsOf(row.error, 'body', [3])).toEqual([{ field: 'body[3].amount', message: 'must be a string' }]);
    const root = z.strictObject({}).safeParse('x');
    if (root.success) throw new Error('expected a failure');
    expect(fieldErrorsOf(root.error, 'query')[0]!.field).toBe('query');
  });
});
