// The verifier hashes an NDJSON line from its bytes where it can (src/verifier/line-hash.ts) and from the parsed
// line otherwise: the `hashes` verdict must be the one the parsed line gives, as the `canonicalize` package
// hashes it, for every line, however it is written (member order, whitespace, escapes, number forms, repeated
// names, bytes that are not UTF-8).
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalLine, hashFailures, lineHashHolds } from '../../src/verifier/line-hash.js';

const RUNS = { numRuns: 1500 };
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The reference verdict: what the service's canonicaliser says of the parsed line (undefined: no failure). */
function reference(line: string): [number, string] | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const shaped =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Number.isSafeInteger(value['seq']) &&
    (value['seq'] as number) >= 1 &&
    ['type', 'recordedAt', 'prevHash', 'hash'].every((k) => typeof value[k] === 'string') &&
    ['actor', 'data'].every((k) => typeof value[k] === 'object' && value[k] !== null) &&
    Array.isArray(value['postings']) &&
    (value['postings'] as unknown[]).every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        typeof (p as Record<string, unknown>)['account'] === 'string' &&
        typeof (p as Record<string, unknown>)['amount'] === 'string',
    );
  if (!shaped) return undefined;
  const { hash, ...rest } = value;
  let canonical: string | undefined;
  try {
    canonical = canonicalize(rest);
  } catch {
    return [value['seq'] as number, 'the entry cannot be canonicalised (RFC 8785 refuses it)'];
  }
  return createHash('sha256').update(canonical!).digest('hex') === hash ? undefined : [value['seq'] as number, 'the hash does not match the entry’s content'];
}

const bytesOf = (line: string) => new Uint8Array(Buffer.from(line, 'utf8'));

/** How a line is written besides its member order, repeated names and -0: plain as the service writes it, or not. */
type Style = 'plain' | 'spaces' | 'escapes' | 'numbers';
const STYLES: Style[] = ['plain', 'plain', 'spaces', 'escapes', 'numbers'];

/** Writes a JSON value as the random choices say, in `style` (line-hash.ts gives up on all but plain). */
function write(value: Json, choices: () => number, style: Style): string {
  const space = () => (style === 'spaces' ? [' ', '', '', '', '\t'][choices() % 5]! : '');
  if (typeof value === 'string') {
    let text = JSON.stringify(value);
    if (style === 'escapes' && choices() % 3 === 0) text = text.replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
    if (style === 'escapes' && choices() % 3 === 0) text = text.replace(/\//g, '\\/');
    return text;
  }
  if (typeof value === 'number') {
    if (value === 0 && choices() % 5 === 0) return '-0';
    if (style === 'numbers' && Number.isInteger(value))
      return [`${value}.0`, `${value}e0`, '12345678901234567', '-100000000000000001', JSON.stringify(value)][choices() % 5]!;
    return JSON.stringify(value);
  }
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${space()}${value.map((item) => write(item, choices, style)).join(`${space()},${space()}`)}${space()}]`;
  const keys = Object.keys(value);
  if (choices() % 2 === 0) keys.reverse();
  const members = keys.map((key) => `${JSON.stringify(key)}${space()}:${space()}${write(value[key]!, choices, style)}`);
  if (keys.length > 0 && choices() % 7 === 0)
    members.splice(choices() % members.length, 0, `${JSON.stringify(keys[0])}:${write(value[keys[0]!]!, choices, style)}`);
  return `{${space()}${members.join(`${space()},${space()}`)}${space()}}`;
}

const key = fc.oneof(fc.constantFrom('a', 'b', 'ab', 'b1', '10', '9', '__proto__', 'hash', 'é', '\ud83d\ude00', '\ufb33', 'A'), fc.string({ maxLength: 5 }));
const leaf = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.constantFrom(0, -0, 1.5, 1e21, 2 ** 53 + 2, 123456789012345, 1234567890123456, -1),
  fc.boolean(),
  fc.constant(null),
);
const json: fc.Arbitrary<Json> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })),
  leaf,
})).node as fc.Arbitrary<Json>;

/** An entry with arbitrary content, its hash right (as the service computes it) or wrong. */
const entry = fc.record({
  seq: fc.integer({ min: 1, max: 1_000_000 }),
  type: fc.constantFrom('redemption.recorded', 'voucher.issued', 'x'),
  recordedAt: fc.constant('2025-06-03T00:00:00.020Z'),
  actor: fc.dictionary(key, json, { maxKeys: 3 }),
  data: fc.dictionary(key, json, { maxKeys: 6 }),
  postings: fc.array(fc.record({ account: fc.string({ maxLength: 8 }), amount: fc.constantFrom('1.00', '-1.00') }), { maxLength: 2 }),
  prevHash: fc.constant('0'.repeat(64)),
  right: fc.boolean(),
});

function lineOf(e: Record<string, unknown> & { right: boolean }, choices: () => number, style = STYLES[choices() % STYLES.length]!): string {
  const { right, ...content } = e;
  let hash = 'f'.repeat(64);
  try {
    hash = right ? createHash('sha256').update(canonicalize(content)!).digest('hex') : hash;
  } catch {
    // a lone surrogate: no hash is right
  }
  return write({ ...(content as Record<string, Json>), hash }, choices, style);
}

const chooser = (seed: number) => {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8;
};

/** The parsed line's canonical form without `hash`; undefined when RFC 8785 refuses it. */
function referenceCanonical(line: string): string | undefined {
  const { hash: _hash, ...rest } = JSON.parse(line) as Record<string, unknown>;
  try {
    return canonicalize(rest);
  } catch {
    return undefined;
  }
}

describe('the hashes check from the line bytes', () => {
  it('puts together exactly the canonical form of the parsed line, whenever it does not give up', () => {
    fc.assert(
      fc.property(entry, fc.integer(), (e, seed) => {
        const line = lineOf(e, chooser(seed));
        const canonical = canonicalLine(line);
        if (canonical !== undefined) expect(canonical).toBe(referenceCanonical(line));
      }),
      RUNS,
    );
  });

  it('gives the parsed line’s verdict on any entry, however it is written', () => {
    fc.assert(
      fc.property(entry, fc.integer(), (e, seed) => {
        const line = lineOf(e, chooser(seed));
        const expected = reference(line);
        expect(hashFailures(bytesOf(line))).toEqual(expected ? [expected] : []);
        if (lineHashHolds(line)) expect(expected).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('decides from the bytes alone on the plain JSON the service writes', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const line = lineOf({ ...e, right: true }, () => 1, 'plain');
        if (/\\/.test(line) || /"[^"]*[^\x00-\x7f][^"]*":/.test(line) || /[.eE][-+\d]|-0[,}\]]|\d{16}/.test(line.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) return;
        if (reference(line)) return; // a lone surrogate cannot be hashed at all
        expect(lineHashHolds(line)).toBe(true);
      }),
      RUNS,
    );
  });

  it('gives up on what it cannot copy as it is, and sorts what it can', () => {
    const line = (data: string) => `{"seq":1,"data":${data},"hash":"x"}`;
    for (const data of [
      '{"n":-0}',
      '{"n":1.0}',
      '{"n":1e2}',
      '{"n":12345678901234567}',
      '{"n":"\\u0041"}',
      '{"n":"a\\/b"}',
      '{"n": 1}',
      '{"n":1,"n":1}',
      '[01]',
      '{"n":tru}',
      '{"n":1',
    ])
      expect(canonicalLine(line(data)), data).toBeUndefined();
    expect(canonicalLine(line('{"b":[{"y":-1,"x":true}],"a":{"d":null,"c":"基"},"10":0,"9":123456789012345,"\ufb33":1,"\ud83d\ude00":2}'))).toBe(
      '{"data":{"10":0,"9":123456789012345,"a":{"c":"基","d":null},"b":[{"x":true,"y":-1}],"\ud83d\ude00":2,"\ufb33":1},"seq":1}',
    );
    expect(canonicalLine(' {"seq":1,"hash":"x"}')).toBeUndefined();
    expect(canonicalLine('{"seq":1,"hash":1}')).toBeUndefined();
    expect(canonicalLine('{"seq":1}')).toBeUndefined();
  });

  it('keeps each line’s verdict in a batch: blank lines, CRLF, a BOM, bytes that are not UTF-8, a line that is not JSON', () => {
    const good = lineOf(
      { seq: 1, type: 't', recordedAt: 'r', actor: { b: 1, a: [{ y: 1, x: 2 }] }, data: { z: '基准', 9: 1, 10: 2 }, postings: [], prevHash: '0', right: true },
      () => 1,
      'plain',
    );
    const bad = good.replace('基准', '基淮');
    expect(lineHashHolds(good)).toBe(true);
    const batch = Buffer.concat([
      Buffer.from(`${good}\r\n\n  \n${bad}\n{"seq": 2, not json\n\ufeff${good}\n`),
      Buffer.from([0x7b, 0xff, 0x7d, 0x0a]),
      Buffer.from(good.replace('"seq":1', '"seq":3')),
    ]);
    expect(hashFailures(new Uint8Array(batch))).toEqual([
      [1, 'the hash does not match the entry’s content'],
      [3, 'the hash does not match the entry’s content'],
    ]);
    expect(hashFailures(batch.toString('utf8'))).toEqual(hashFailures(new Uint8Array(batch)));
  });

  it('refuses what RFC 8785 refuses, and a name repeated in an object takes its last value, as JSON.parse does', () => {
    const surrogate = `{"seq":1,"type":"t","recordedAt":"r","actor":{},"data":{"n":"\\ud800"},"postings":[],"prevHash":"0","hash":"${'0'.repeat(64)}"}`;
    expect(hashFailures(bytesOf(surrogate))).toEqual([[1, 'the entry cannot be canonicalised (RFC 8785 refuses it)']]);
    const content = { seq: 1, type: 't', recordedAt: 'r', actor: {}, data: { n: 2 }, postings: [], prevHash: '0' };
    const hash = createHash('sha256').update(canonicalize(content)!).digest('hex');
    const repeated = `{"seq":1,"type":"t","recordedAt":"r","actor":{},"data":{"n":1,"n":2},"postings":[],"prevHash":"0","hash":"${hash}"}`;
    expect(hashFailures(bytesOf(repeated))).toEqual([]);
    expect(lineHashHolds(repeated)).toBe(false);
  });
});
