// The verifier's own RFC 8785 canonicaliser must agree byte for byte with the `canonicalize` package that
// the service hashes with, on every JSON value, or a genuine entry would fail (or a forged one pass).
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonWithout } from '../../src/verifier/canonical-json.js';

const RUNS = { numRuns: 2000 };

/** Both throw, or both return the same string. */
function agree(value: unknown): void {
  let expected: string | undefined;
  let expectedError: unknown;
  try {
    expected = canonicalize(value);
  } catch (err) {
    expectedError = err;
  }
  if (expectedError) expect(() => canonicalJson(value)).toThrow();
  else expect(canonicalJson(value)).toBe(expected);
}

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const anyKey = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: codeUnit, maxLength: 4 }),
  fc.constantFrom(
    '',
    '1',
    '10',
    '2',
    '-1',
    '01',
    'a',
    'A',
    'é',
    '\u00e9',
    'e\u0301',
    '\ud83d\ude00',
    '\ufb33',
    '\u20ac',
    '\r',
    '__proto__',
    'hash',
    'constructor',
  ),
  fc.nat({ max: 1000 }).map(String),
);
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(Number),
  fc.constantFrom(
    0,
    -0,
    1e21,
    1e-7,
    5e-324,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.MAX_SAFE_INTEGER,
    2 ** 53 + 2,
    0.1 + 0.2,
    333333333.3333333,
    1e-6,
    123e-20,
  ),
);

describe('canonicalJson agrees with the canonicalize package', () => {
  it('on arbitrary JSON values with full-unicode strings', () => {
    fc.assert(fc.property(fc.jsonValue({ stringUnit: 'binary' }), agree), RUNS);
  });

  it('on arbitrary JSON values read back through JSON.parse (what the verifier sees)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'grapheme' }), (value) => agree(JSON.parse(JSON.stringify(value)))),
      RUNS,
    );
  });

  it('on objects keyed by any UTF-16 strings: order by code units, integer-like names, lone surrogates', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(anyKey, tie('node'), { maxKeys: 8 })),
      leaf: fc.oneof(fc.string({ unit: codeUnit, maxLength: 8 }), anyNumber, fc.boolean(), fc.constant(null)),
    })).node;
    fc.assert(fc.property(value, agree), RUNS);
  });

  it('on numbers, including -0, exponents and the extremes; NaN and ±Infinity are refused by both', () => {
    fc.assert(
      fc.property(anyNumber, (n) => agree({ n, list: [n, -n] })),
      RUNS,
    );
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => canonicalize(bad)).toThrow();
      expect(() => canonicalJson({ x: [bad] })).toThrow();
    }
  });

  it('on strings that need escaping: controls, quotes, backslashes, U+2028, astral and lone surrogates', () => {
    const special = fc.constantFrom(
      '"',
      '\\',
      '\b',
      '\f',
      '\n',
      '\r',
      '\t',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u2028',
      '\u2029',
      '/',
      '\ud800',
      '\udfff',
      '\ud83d\ude00',
      '\\ud800',
      '\\\ud800',
      '基准',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(special, fc.string({ unit: codeUnit, maxLength: 3 }))).map((parts) => parts.join('')),
        (text) => {
          agree(text);
          agree({ [text]: text });
        },
      ),
      RUNS,
    );
  });

  it('gives the same bytes for the same members in any insertion order, past the bound of the shape cache', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyKey, { maxLength: 12 }), fc.integer(), (keys, seed) => {
        const forward = Object.fromEntries(keys.map((k, i) => [k, i + seed]));
        const backward = Object.fromEntries([...keys].reverse().map((k) => [k, keys.indexOf(k) + seed]));
        agree(forward);
        agree(backward);
        if (keys.every((k) => (k as string & { isWellFormed(): boolean }).isWellFormed())) expect(canonicalJson(backward)).toBe(canonicalJson(forward));
      }),
      RUNS,
    );
  });
});

// Entries as the service writes them: objects of strings, integers, booleans, null and nested objects.
const amount = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n }))
  .map(([negative, fen]) => `${negative && fen > 0n ? '-' : ''}${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`);
const id = (prefix: string) => fc.uuid().map((u) => `${prefix}_${u}`);
const uscc = fc.stringMatching(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
const actor = fc.oneof(
  fc.record({ sub: fc.string(), role: fc.constant('issuer'), region: fc.stringMatching(/^33[0-9]{4}$/) }),
  fc.record({ sub: fc.string(), role: fc.constant('provider'), org: uscc }),
);
const redemptionData = fc.record({
  region: fc.stringMatching(/^33[0-9]{4}$/),
  programId: id('prg'),
  kind: fc.constantFrom('compute', 'corpus', 'model'),
  redemptionId: id('rdm'),
  voucherId: id('vch'),
  contract: fc.record({
    id: id('ctr'),
    number: fc.string({ unit: 'grapheme' }),
    providerUscc: uscc,
    beneficiaryUscc: uscc,
    amount,
    autonomous: fc.boolean(),
    signedOn: fc.constant('2025-06-01'),
  }),
  invoiceNumber: fc.string({ unit: 'grapheme' }),
  executedAmount: amount,
  year: fc.integer({ min: 2025, max: 2027 }),
  rate: fc.constantFrom('0.30', '0.10', '0.3'),
  annualCap: fc.option(amount, { nil: null }),
  subsidy: amount,
  limitedBy: fc.constantFrom(null, 'annual_cap', 'program_cap', 'voucher_balance'),
});
const fundedData = fc.record({
  region: fc.string(),
  programId: id('prg'),
  name: fc.string({ unit: 'grapheme' }),
  budget: amount,
  limits: fc.dictionary(fc.string(), fc.record({ rate: fc.constantFrom('0.20'), annualCap: fc.option(amount, { nil: null }) })),
});
const entry = fc.record({
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  type: fc.constantFrom('program.funded', 'voucher.issued', 'redemption.recorded', 'redemption.reversed'),
  recordedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  actor,
  data: fc.oneof(redemptionData, fundedData),
  postings: fc.array(fc.record({ account: fc.string(), amount }), { maxLength: 4 }),
  prevHash: fc.stringMatching(/^[0-9a-f]{64}$/),
  hash: fc.stringMatching(/^[0-9a-f]{64}$/),
});

describe('canonicalJsonWithout on ledger entries', () => {
  it('is the canonical form of the entry without its hash, as the service computes it', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const { hash: _hash, ...rest } = e;
        const expected = canonicalize(rest);
        expect(canonicalJsonWithout(e, 'hash')).toBe(expected);
        expect(canonicalJsonWithout(JSON.parse(JSON.stringify(e)) as Record<string, unknown>, 'hash')).toBe(expected);
      }),
      RUNS,
    );
  });

  it('leaves out only the top-level member: a nested `hash` is hashed', () => {
    const e = { seq: 1, data: { hash: 'inner' }, hash: 'outer' };
    expect(canonicalJsonWithout(e, 'hash')).toBe('{"data":{"hash":"inner"},"seq":1}');
  });
});
