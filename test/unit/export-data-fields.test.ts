// The CSV export reads the members it describes straight from the stored JSON text and writes its fields as
// bytes (decision 0035): these pin both to what JSON.parse and the string functions they replace give.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataFieldsOf, emptyDataFields, readDataFields } from '../../src/ledger/export/data-fields.js';
import { csvField } from '../../src/ledger/export/export.stream.js';
import { PageBytes } from '../../src/ledger/export/page-bytes.js';
import { asText, shanghaiDateTime, textField } from '../../src/ledger/export/spreadsheet.js';

const read = (json: string) => {
  const fields = emptyDataFields();
  readDataFields(json, fields);
  return fields;
};
const parsed = (json: string) => dataFieldsOf(JSON.parse(json) as Record<string, unknown>);

// Values that stress JSON string escapes and the CSV's quoting.
const odd = fc.constantFrom(
  '',
  'HT-0',
  '2104.58',
  'a"b',
  'a\\b',
  '逗号,',
  'line\nbreak',
  '\r',
  '\u0000\u001f',
  '\u2028',
  '😀',
  '\ud800',
  '=1+1',
  'constructor',
);
const value = fc.oneof(odd, fc.string({ unit: 'grapheme', maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }));
const keys = ['voucherId', 'contractId', 'redemptionId', 'invoiceNumber', 'executedAmount', 'rate', 'subsidy', 'clawback', 'beneficiaryUscc', 'providerUscc'];
const nestedKeys = ['id', 'number', 'providerUscc', 'beneficiaryUscc', 'uscc', 'name'];
const members = (names: string[], values: fc.Arbitrary<unknown>) =>
  fc.array(fc.tuple(fc.oneof(fc.constantFrom(...names, '__proto__', 'constructor'), fc.string({ maxLength: 6 })), values), { maxLength: 8 });
const nested = fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom(...nestedKeys), fc.string({ maxLength: 4 })), value), value);
// Members as text, duplicates included (JSON.parse keeps the last), some keys escaped as \u sequences.
const objectText = (entries: [string, unknown][], escapeKeys: boolean) =>
  `{${entries.map(([key, v]) => `${escapeKeys ? JSON.stringify(key).replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : JSON.stringify(key)}:${JSON.stringify(v)}`).join(',')}}`;

describe('reading the data members the CSV describes', () => {
  it('gives what JSON.parse gives, for arbitrary JSON with and without the members, duplicates and escapes', () => {
    const data = fc.tuple(members([...keys, 'contract', 'beneficiary', 'enterprise'], fc.oneof(value, nested)), fc.boolean());
    fc.assert(
      fc.property(data, ([entries, escapeKeys]) => {
        const json = objectText(entries, escapeKeys);
        expect(read(json)).toEqual(parsed(json));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a redemption as the ledger writer stores it, with whitespace or not, and nothing from data that is not an object', () => {
    const data = {
      voucherId: 'vch_1',
      contract: { id: 'ctr_1', number: 'HT-0', providerUscc: '91330100799655058B', amount: '1.00' },
      invoiceNumber: 'INV-4',
      list: [{ rate: '9' }],
      rate: '0.30',
    };
    expect(read(JSON.stringify(data))).toMatchObject({
      voucherId: 'vch_1',
      contractOwnId: 'ctr_1',
      contractNumber: 'HT-0',
      invoiceNumber: 'INV-4',
      rate: '0.30',
      subsidy: undefined,
    });
    expect(read(JSON.stringify(data, null, 2))).toEqual(parsed(JSON.stringify(data)));
    for (const json of ['[]', '"x"', '1', 'null', '{}']) expect(read(json)).toEqual(emptyDataFields());
    expect(() => read('{"voucherId":"x"')).toThrow(SyntaxError);
  });
});

describe('CSV fields as bytes', () => {
  const text = fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', '中', '\\', '😀', '=') });

  it('PageBytes.csv writes the bytes of csvField, in a buffer that grows and is reused', () => {
    const out = new PageBytes();
    fc.assert(
      fc.property(fc.array(text, { maxLength: 5 }), fc.nat({ max: 100_000 }), (values, padding) => {
        out.text('x'.repeat(padding));
        for (const v of values) out.csv(v);
        const chunk = out.take();
        expect(chunk.toString('utf8')).toBe('x'.repeat(padding) + values.map(csvField).join(''));
        out.release(chunk);
      }),
    );
  });

  it('textField is csvField(asText(value))', () => {
    fc.assert(fc.property(text, (v) => textField(v) === csvField(asText(v))));
    expect(textField(undefined)).toBe('');
  });
});

describe('Shanghai wall time', () => {
  it('is the instant eight hours on, whether or not the previous instant fell in the same hour', () => {
    const reference = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 23);
    const instant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T15:59:59.999Z'), noInvalidDate: true });
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 4 }), (dates) => {
        for (const date of [...dates, ...dates]) expect(shanghaiDateTime(date.toISOString())).toBe(reference(date.toISOString()));
      }),
    );
    expect(shanghaiDateTime('2025-12-31T16:00:00.000Z')).toBe('2026-01-01 00:00:00.000');
    expect(() => shanghaiDateTime('2025-02-30T99:00:00.000Z')).toThrow(RangeError);
  });
});
