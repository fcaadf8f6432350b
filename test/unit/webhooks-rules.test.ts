// Webhooks' pure rules (decision 0044): the URL policy, the retry schedule, the expiring notices' days, and that
// an entry which makes no event costs the outbox no query.
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { ENTRY_TYPES, type LedgerEntry } from '../../src/ledger/ledger.types.js';
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt, parseRetrySchedule } from '../../src/webhooks/rules/backoff.js';
import { ENTRY_EVENTS, eventsOf } from '../../src/webhooks/rules/events.js';
import { expiringThresholdDue } from '../../src/webhooks/rules/expiring.js';
import { KEYED_EVENT_MIN_DAYS, retentionCutoffs } from '../../src/webhooks/rules/retention.js';
import { rotated, secretsSigningAt } from '../../src/webhooks/rules/rotation.js';
import { addressRefusal, embeddedIPv4, isPrivateAddress, parseAllowList, urlRefusal } from '../../src/webhooks/rules/url-policy.js';
import { webhookOutbox } from '../../src/webhooks/webhooks.outbox.js';

const production = { production: true, allow: parseAllowList(undefined) };
const development = { production: false, allow: parseAllowList(undefined) };

describe('the URL policy', () => {
  it('knows loopback, private, link-local, CGNAT and unspecified addresses, IPv4-mapped ones included', () => {
    for (const address of [
      '127.0.0.1',
      '127.8.9.10',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd12::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['8.8.8.8', '172.32.0.1', '192.169.0.1', '2001:db8::1', '::ffff:8.8.8.8', 'example.com'])
      expect(isPrivateAddress(address), address).toBe(false);
  });

  it('in production: https only, no private host unless allowed by name or CIDR; in development anything http(s) without credentials', () => {
    expect(urlRefusal('https://hooks.example.com/x', production)).toBeUndefined();
    expect(urlRefusal('http://hooks.example.com/x', production)).toBe('must be an https:// URL in production');
    expect(urlRefusal('https://127.0.0.1/x', production)).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
    expect(urlRefusal('https://api.localhost/x', production)).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
    const allow = { production: true, allow: parseAllowList('10.0.0.0/8,hooks.internal,::1') };
    expect(urlRefusal('https://10.9.8.7/x', allow)).toBeUndefined();
    expect(urlRefusal('https://[::1]/x', allow)).toBeUndefined();
    expect(urlRefusal('https://192.168.0.1/x', allow)).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
    expect(urlRefusal('http://127.0.0.1:3000/x', development)).toBeUndefined();
    expect(urlRefusal('ftp://hooks.example.com/x', development)).toBe('must be an http:// or https:// URL');
    expect(urlRefusal('ftp://hooks.example.com/x', production)).toBe('must be an https:// URL');
    expect(urlRefusal('https://a:b@hooks.example.com/x', development)).toMatch(/credentials/);
  });

  it('at delivery, the address connected to decides: a public name resolving to a private address is refused (DNS rebinding)', () => {
    expect(addressRefusal('hooks.example.com', '93.184.216.34', production)).toBeUndefined();
    expect(addressRefusal('hooks.example.com', '127.0.0.1', production)).toMatch(/resolved to 127\.0\.0\.1/);
    expect(addressRefusal('hooks.internal', '10.0.0.5', { production: true, allow: parseAllowList('hooks.internal') })).toBeUndefined();
    expect(addressRefusal('hooks.example.com', '10.0.0.5', { production: true, allow: parseAllowList('10.0.0.0/24') })).toBeUndefined();
    expect(addressRefusal('hooks.example.com', '127.0.0.1', development)).toBeUndefined();
  });

  it("names written with the root's trailing dot are the same names: localhost. and foo.localhost. are local", () => {
    for (const url of ['https://localhost./x', 'https://foo.localhost./x', 'https://FOO.LocalHost../x'])
      expect(urlRefusal(url, production), url).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
    expect(addressRefusal('localhost.', '93.184.216.34', production)).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
    expect(urlRefusal('https://hooks.example.com./x', production)).toBeUndefined();
    expect(urlRefusal('https://hooks.internal./x', { production: true, allow: parseAllowList('hooks.internal') })).toBeUndefined();
  });

  it('an IPv6 address carrying an IPv4 one is judged on it too: compatible, mapped, NAT64, 6to4', () => {
    expect(embeddedIPv4('::127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::7f00:1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(embeddedIPv4('64:ff9b::a00:1')).toBe('10.0.0.1');
    expect(embeddedIPv4('2002:c0a8:0101::1')).toBe('192.168.1.1');
    expect(embeddedIPv4('2001:db8::1')).toBeUndefined();
    for (const address of ['::127.0.0.1', '::10.0.0.1', '64:ff9b::127.0.0.1', '64:ff9b::192.168.0.1', '2002:7f00:1::', '2002:a9fe:a9fe::1'])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['64:ff9b::8.8.8.8', '2002:808:808::1', '::ffff:1.1.1.1']) expect(isPrivateAddress(address), address).toBe(false);
    // As URLs write them (node normalises [::127.0.0.1] to [::7f00:1]), at subscription and at delivery.
    for (const url of ['https://[::127.0.0.1]/x', 'https://[64:ff9b::10.0.0.1]/x', 'https://[2002:7f00:1::]/x'])
      expect(urlRefusal(url, production), url).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
    expect(addressRefusal('hooks.example.com', '64:ff9b::a00:5', production)).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
    expect(addressRefusal('hooks.example.com', '2002:a00:5::1', { production: true, allow: parseAllowList('10.0.0.0/8') })).toBeUndefined();
  });

  it('benchmarking, multicast, reserved, broadcast and site-local addresses are refused too', () => {
    for (const address of ['198.18.0.1', '198.19.255.255', '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255', 'fec0::1', 'feff::1'])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['198.17.255.255', '198.20.0.1', '223.255.255.255', 'fe7f::1']) expect(isPrivateAddress(address), address).toBe(false);
  });

  it('WEBHOOK_ALLOW_PRIVATE refuses what is neither a host, an address nor a CIDR', () => {
    expect(() => parseAllowList('10.0.0.0/33')).toThrow('10.0.0.0/33');
    expect(() => parseAllowList('bad host!')).toThrow('bad host!');
  });
});

describe('the retry schedule', () => {
  it('spans about a day: the first attempt at once, retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then failed', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    expect(DEFAULT_RETRY_SCHEDULE).toHaveLength(7);
    expect(DEFAULT_RETRY_SCHEDULE.reduce((sum, s) => sum + s, 0)).toBe(99_305); // 27 h 35 min 5 s
    expect(nextAttemptAt(1, DEFAULT_RETRY_SCHEDULE, start)?.toISOString()).toBe('2026-01-01T00:00:05.000Z');
    expect(nextAttemptAt(7, DEFAULT_RETRY_SCHEDULE, start)?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(nextAttemptAt(8, DEFAULT_RETRY_SCHEDULE, start)).toBeNull();
    expect(parseRetrySchedule('0, 1,2')).toEqual([0, 1, 2]);
    expect(() => parseRetrySchedule('0,-1')).toThrow('-1');
  });

  it('every delay of WEBHOOK_RETRY_SCHEDULE is used: its first is the delay before the first retry', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const schedule = parseRetrySchedule('60,120');
    expect(nextAttemptAt(1, schedule, start)?.toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(nextAttemptAt(2, schedule, start)?.toISOString()).toBe('2026-01-01T00:02:00.000Z');
    expect(nextAttemptAt(3, schedule, start)).toBeNull();
  });
});

describe('voucher.expiring', () => {
  it('expiring 2027-01-31: the 30-day notice from 2027-01-01, the 7-day one from 2027-01-24, none after the last day', () => {
    expect(expiringThresholdDue('2027-01-31', '2026-12-31')).toBeNull();
    expect(expiringThresholdDue('2027-01-31', '2027-01-01')).toBe(30);
    expect(expiringThresholdDue('2027-01-31', '2027-01-23')).toBe(30);
    expect(expiringThresholdDue('2027-01-31', '2027-01-24')).toBe(7);
    expect(expiringThresholdDue('2027-01-31', '2027-01-31')).toBe(7);
    expect(expiringThresholdDue('2027-01-31', '2027-02-01')).toBeNull();
    expect(expiringThresholdDue('2027-03-01', '2027-01-30')).toBe(30); // 2027-03-01 − 30 days
  });
});

describe('rotating a secret (decision 0047)', () => {
  it('rotated at 2026-03-02 10:00 (+08:00): the previous secret signs beside the new one until 2026-03-03 10:00, then not', () => {
    const secrets = rotated({ secret: 'whsec_A', previousSecret: null, previousSecretExpiresAt: null }, 'whsec_B', new Date('2026-03-02T02:00:00Z'));
    expect(secrets).toEqual({
      secret: 'whsec_B',
      previousSecret: 'whsec_A',
      previousSecretExpiresAt: '2026-03-03T02:00:00.000Z',
      secretRotatedAt: '2026-03-02T02:00:00.000Z',
    });
    expect(secretsSigningAt(secrets, new Date('2026-03-02T02:00:00Z'))).toEqual(['whsec_B', 'whsec_A']);
    expect(secretsSigningAt(secrets, new Date('2026-03-03T01:59:59.999Z'))).toEqual(['whsec_B', 'whsec_A']);
    expect(secretsSigningAt(secrets, new Date('2026-03-03T02:00:00Z'))).toEqual(['whsec_B']);
    expect(secretsSigningAt({ secret: 'whsec_A', previousSecret: null, previousSecretExpiresAt: null }, new Date())).toEqual(['whsec_A']);
  });

  it('rotated again within the 24 hours: the secret replaced is the previous one, the older is dropped', () => {
    const once = rotated({ secret: 'whsec_A', previousSecret: null, previousSecretExpiresAt: null }, 'whsec_B', new Date('2026-03-02T02:00:00Z'));
    const twice = rotated(once, 'whsec_C', new Date('2026-03-02T08:00:00Z'));
    expect(twice).toMatchObject({ secret: 'whsec_C', previousSecret: 'whsec_B', previousSecretExpiresAt: '2026-03-03T08:00:00.000Z' });
    expect(secretsSigningAt(twice, new Date('2026-03-02T09:00:00Z'))).toEqual(['whsec_C', 'whsec_B']);
  });
});

describe('retention (decision 0047)', () => {
  it('30 days before the sweep; a voucher.expiring event at least 31 days, however short the retention', () => {
    const now = new Date('2026-04-10T02:00:00Z');
    expect(retentionCutoffs(now, 30)).toEqual({ before: '2026-03-11T02:00:00.000Z', keyedBefore: '2026-03-10T02:00:00.000Z' });
    expect(retentionCutoffs(now, 1)).toEqual({ before: '2026-04-09T02:00:00.000Z', keyedBefore: '2026-03-10T02:00:00.000Z' });
    expect(retentionCutoffs(now, 90)).toEqual({ before: '2026-01-10T02:00:00.000Z', keyedBefore: '2026-01-10T02:00:00.000Z' });
    // A notice written on the first day it is due (the voucher's last day − 30) matters until that last day.
    expect(expiringThresholdDue('2027-01-31', '2027-01-01')).toBe(30);
    expect(KEYED_EVENT_MIN_DAYS).toBe(31);
  });
});

describe('the outbox', () => {
  const entry = (type: LedgerEntry['type'], data: LedgerEntry['data'] = { region: '330100' }): LedgerEntry => ({
    seq: 7,
    type,
    recordedAt: '2026-01-01T00:00:00.000Z',
    actor: { sub: 's', role: 'system' },
    data,
    postings: [],
    prevHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
  });
  /** A transaction that fails on any use: an entry that makes no event must not touch it. */
  const untouchable = new Proxy(
    {},
    {
      get: () => () => {
        throw new Error('the outbox queried for an entry that makes no event');
      },
    },
  ) as Kysely<Database>;

  it('costs no query for an entry that makes no event (a redemption, the hot path)', async () => {
    for (const type of ENTRY_TYPES.filter((type) => !ENTRY_EVENTS.has(type))) await expect(webhookOutbox(untouchable, entry(type))).resolves.toBeUndefined();
    expect(ENTRY_EVENTS.has('redemption.recorded')).toBe(false);
  });

  it('an application review that does not end it (a first approval, a return) makes no event', () => {
    const found = { voucherEnterprise: new Map(), applicationEnterprise: '913301000000001012' };
    for (const [stage, decision] of [
      ['first', 'approve'],
      ['first', 'return'],
      ['final', 'return'],
    ])
      expect(eventsOf(entry('application.reviewed', { region: '330100', programId: 'p', applicationId: 'a', stage, decision }), found)).toEqual([]);
    expect(
      eventsOf(entry('application.reviewed', { region: '330100', programId: 'p', applicationId: 'a', stage: 'first', decision: 'reject' }), found),
    ).toHaveLength(1);
  });
});
