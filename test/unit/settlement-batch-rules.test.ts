import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ApprovalFacts, assertApprovable, assertFundersUnchanged } from '../../src/settlement/rules/approval.js';
import {
  assertCancellable,
  assertPaidOn,
  assertPayable,
  assertReconcilable,
  pendingLine,
  statusFromLines,
} from '../../src/settlement/rules/batch-lifecycle.js';
import { composeBatch, gatherClaims } from '../../src/settlement/rules/compose-batch.js';
import type { BatchStatus, LineStatus } from '../../src/settlement/settlement.schemas.js';
import { formatFen } from '../../src/shared/money.js';
import { ACCOUNT, batchOf, CITY, claimOf, CO_FUNDERS, lineOf, PROVINCE, redemptionOf, refusalOf, registrationOf } from '../helpers/settlement-values.js';

describe('a batch and its lines', () => {
  it('takes its status from its lines: pending keeps it open, any paid line makes it (partially) paid, all failed cancels it', () => {
    const cases: [LineStatus[], BatchStatus][] = [
      [['pending', 'pending'], 'approved'],
      [['pending', 'failed'], 'approved'],
      [['paid', 'pending'], 'partially_paid'],
      [['paid', 'failed'], 'paid'],
      [['paid', 'paid'], 'paid'],
      [['failed', 'failed'], 'cancelled'],
      [['failed', 'cancelled'], 'cancelled'],
    ];
    for (const [lines, status] of cases) expect(statusFromLines(lines), lines.join(', ')).toBe(status);
  });

  it('pays or fails lines of an approved or partially paid batch only; reconciles a paid one too; cancels a draft or an approved one', () => {
    const statuses: BatchStatus[] = ['draft', 'approved', 'partially_paid', 'paid', 'cancelled'];
    const allowed = (check: (batch: ReturnType<typeof batchOf>) => void) =>
      statuses.filter((status) => {
        try {
          check(batchOf({ status }));
          return true;
        } catch {
          return false;
        }
      });
    expect(allowed(assertPayable)).toEqual(['approved', 'partially_paid']);
    expect(allowed(assertReconcilable)).toEqual(['approved', 'partially_paid', 'paid']);
    expect(allowed(assertCancellable)).toEqual(['draft', 'approved']);
    expect(refusalOf(() => assertPayable(batchOf({ status: 'paid' }))).message).toBe(
      "payment batch pbt_1 is paid: only an approved batch's lines are paid or failed",
    );
  });

  it('finds a pending line of the batch, or refuses a missing or settled one', () => {
    const lines = [lineOf('pln_a', 100n), lineOf('pln_b', 200n, { status: 'failed' })];
    expect(pendingLine(lines, 'pln_a').amount).toBe(100n);
    expect(refusalOf(() => pendingLine(lines, 'pln_x')).code).toBe('not_found');
    expect(refusalOf(() => pendingLine(lines, 'pln_b'))).toMatchObject({ code: 'line_not_pending', message: 'line pln_b is failed' });
  });

  it('accepts a payment day from the day of approval (Asia/Shanghai) to today: approved at 2025-12-14T16:30Z is 2025-12-15 00:30 in Shanghai', () => {
    const batch = batchOf({ approvedAt: '2025-12-14T16:30:00.000Z' });
    expect(() => assertPaidOn(batch, '2025-12-15', '2025-12-15', 'paidOn')).not.toThrow();
    expect(refusalOf(() => assertPaidOn(batch, '2025-12-14', '2025-12-15', 'body[2].paidOn'))).toEqual({
      code: 'paid_before_approval',
      message: 'body[2].paidOn 2025-12-14 is before the batch was approved on 2025-12-15',
      field: 'body[2].paidOn',
    });
    expect(refusalOf(() => assertPaidOn(batch, '2025-12-16', '2025-12-15', 'paidOn'))).toEqual({
      code: 'future_date',
      message: 'paidOn 2025-12-16 is after today (Asia/Shanghai)',
      field: 'paidOn',
    });
  });
});

describe('gathering claims into a batch', () => {
  const claims = [
    redemptionOf('rdm_1', 'P-B', 10_001n, { executedOn: '2025-12-01' }),
    redemptionOf('rdm_2', 'P-A', 20_000n, { executedOn: '2025-12-02' }),
    redemptionOf('rdm_3', 'P-B', -3_000n, { executedOn: '2025-12-03' }), // clawed back after payment: set off
    redemptionOf('rdm_4', 'P-A', 50_000n, { executedOn: '2025-12-11' }), // after the cutoff
    redemptionOf('rdm_5', 'P-A', 70_000n, { executedOn: '2025-12-05', openBatchId: 'pbt_0' }), // in an open batch
    redemptionOf('rdm_6', 'P-C', 0n, { executedOn: '2025-12-05' }), // settled
    redemptionOf('rdm_7', 'P-D', -1_000n, { executedOn: '2025-12-06' }),
    redemptionOf('rdm_8', 'P-E', 500n, { executedOn: '2025-12-10' }), // on the cutoff day: gathered
    redemptionOf('rdm_9', 'P-F', 700n, { executedOn: '2025-12-07' }),
  ];

  it('gathers unpaid claims executed on or before the cutoff and in no open batch, by provider in USCC order, with their net', () => {
    expect(gatherClaims(claims, '2025-12-10').map((p) => [p.providerUscc, formatFen(p.net), p.claims.map((c) => c.redemptionId)])).toEqual([
      ['P-A', '200.00', ['rdm_2']],
      ['P-B', '70.01', ['rdm_1', 'rdm_3']],
      ['P-D', '-10.00', ['rdm_7']],
      ['P-E', '5.00', ['rdm_8']],
      ['P-F', '7.00', ['rdm_9']],
    ]);
  });

  it('makes one line per active provider (split 0.6 / 0.4), lists the one owing money under receivables and the unregistered and suspended under blocked', () => {
    const registrations = new Map([
      ['P-A', registrationOf('P-A')],
      ['P-B', registrationOf('P-B')],
      ['P-E', registrationOf('P-E', { status: 'suspended' })],
      ['P-F', undefined],
    ]);
    let n = 0;
    const heading = {
      id: 'pbt_1',
      program: { id: 'prg_1', region: CITY, kind: 'compute' as const },
      cutoff: '2025-12-10',
      maker: 'maker',
      createdAt: '2025-12-15T04:00:00.000Z',
      funders: CO_FUNDERS,
    };
    const { batch, lines, claims: paid } = composeBatch(heading, gatherClaims(claims, '2025-12-10'), registrations, () => `pln_${++n}`);
    // 70.01 at 0.6 / 0.4 is 42.006 / 28.004: 42.00 / 28.00 and the odd fen to the larger remainder, the city's.
    expect(
      lines.map((l) => [l.id, l.position, l.providerUscc, l.providerName, formatFen(l.amount), l.shares.map((s) => `${s.region}:${formatFen(s.amount)}`)]),
    ).toEqual([
      ['pln_1', 0, 'P-A', '服务商 P-A', '200.00', [`${CITY}:120.00`, `${PROVINCE}:80.00`]],
      ['pln_2', 1, 'P-B', '服务商 P-B', '70.01', [`${CITY}:42.01`, `${PROVINCE}:28.00`]],
    ]);
    expect(lines.every((l) => l.status === 'pending' && l.bankAccount.accountNumber === ACCOUNT.accountNumber)).toBe(true);
    // P-B's line pays its claim and sets its receivable off: 100.01 − 30.00.
    expect(paid).toEqual([claimOf('pln_1', 'rdm_2', 20_000n), claimOf('pln_2', 'rdm_1', 10_001n), claimOf('pln_2', 'rdm_3', -3_000n)]);
    expect(batch).toMatchObject({ status: 'draft', checker: null, total: 27_001n, region: CITY, kind: 'compute', approvedAt: null, approvalSeq: null });
    expect(batch.receivables).toEqual([{ providerUscc: 'P-D', amount: 1_000n, redemptionIds: ['rdm_7'] }]);
    expect(batch.blocked).toEqual([
      { providerUscc: 'P-E', amount: 500n, reason: 'suspended', redemptionIds: ['rdm_8'] },
      { providerUscc: 'P-F', amount: 700n, reason: 'not_registered', redemptionIds: ['rdm_9'] },
    ]);
  });

  it('the lines sum to the total, every gathered claim is in a line or reported, and no redemption is in two lines', () => {
    const claimArb = fc.record({
      provider: fc.constantFrom('P-1', 'P-2', 'P-3'),
      outstanding: fc.bigInt({ min: -5_000n, max: 20_000n }),
      day: fc.integer({ min: 1, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(claimArb, { maxLength: 12 }), fc.constantFrom('active', 'suspended', 'missing'), (specs, p3) => {
        const given = specs.map((s, i) => redemptionOf(`rdm_${i}`, s.provider, s.outstanding, { executedOn: `2025-12-${String(s.day).padStart(2, '0')}` }));
        const registrations = new Map([
          ['P-1', registrationOf('P-1')],
          ['P-2', registrationOf('P-2')],
          ['P-3', p3 === 'missing' ? undefined : registrationOf('P-3', { status: p3 })],
        ]);
        let n = 0;
        const heading = {
          id: 'pbt_1',
          program: { id: 'prg_1', region: CITY, kind: 'compute' as const },
          cutoff: '2025-12-15',
          maker: 'm',
          createdAt: 'now',
          funders: CO_FUNDERS,
        };
        const { batch, lines, claims } = composeBatch(heading, gatherClaims(given, '2025-12-15'), registrations, () => `pln_${++n}`);
        expect(lines.reduce((sum, l) => sum + l.amount, 0n)).toBe(batch.total);
        for (const line of lines) {
          expect(line.amount > 0n).toBe(true);
          expect(line.shares.reduce((sum, s) => sum + s.amount, 0n)).toBe(line.amount);
          expect(claims.filter((c) => c.lineId === line.id).reduce((sum, c) => sum + c.amount, 0n)).toBe(line.amount);
        }
        expect(new Set(claims.map((c) => c.redemptionId)).size).toBe(claims.length);
        const reported = [
          ...claims.map((c) => c.redemptionId),
          ...batch.receivables.flatMap((r) => r.redemptionIds),
          ...batch.blocked.flatMap((b) => b.redemptionIds),
        ];
        const gathered = given.filter((c) => c.executedOn <= '2025-12-15' && c.outstanding !== 0n);
        const nettingToZero = gatherClaims(given, '2025-12-15')
          .filter((p) => p.net === 0n)
          .flatMap((p) => p.claims.map((c) => c.redemptionId));
        expect(reported.sort()).toEqual(
          gathered
            .map((c) => c.redemptionId)
            .filter((id) => !nettingToZero.includes(id))
            .sort(),
        );
      }),
    );
  });
});

describe('approving a draft', () => {
  const lines = [lineOf('pln_1', 20_000n, { providerUscc: 'P-A' }), lineOf('pln_2', 7_001n, { providerUscc: 'P-B' })];
  const claims = [claimOf('pln_1', 'rdm_2', 20_000n), claimOf('pln_2', 'rdm_1', 10_001n), claimOf('pln_2', 'rdm_3', -3_000n)];
  const facts = (members: Partial<ApprovalFacts> = {}): ApprovalFacts => ({
    batch: batchOf({ status: 'draft' }),
    currentFunders: CO_FUNDERS,
    lines,
    claims,
    outstanding: new Map([
      ['rdm_1', 10_001n],
      ['rdm_2', 20_000n],
      ['rdm_3', -3_000n],
    ]),
    registrations: new Map([
      ['P-A', registrationOf('P-A')],
      ['P-B', registrationOf('P-B')],
    ]),
    listed: new Set(),
    ...members,
  });

  it('approves the draft when nothing it says has changed', () => {
    expect(() => assertApprovable(facts())).not.toThrow();
  });

  it('refuses as stale once a payee was put on a watchlist that applies to the program (decision 0042)', () => {
    expect(refusalOf(() => assertApprovable(facts({ listed: new Set(['P-B']) })))).toMatchObject({
      code: 'batch_stale',
      message: 'provider P-B was put on a watchlist since the batch was made; cancel it and make a new one',
    });
  });

  it('refuses as stale once the funders, a claim, or a payee’s registration or bank account changed; first failure wins', () => {
    const reordered = [CO_FUNDERS[1]!, CO_FUNDERS[0]!];
    expect(refusalOf(() => assertFundersUnchanged(batchOf(), reordered)).code).toBe('batch_stale');
    expect(refusalOf(() => assertFundersUnchanged(batchOf(), [{ region: CITY, ratio: '0.60' }, CO_FUNDERS[1]!])).code).toBe('batch_stale');
    expect(refusalOf(() => assertApprovable(facts({ currentFunders: reordered, lines: [] }))).message).toBe(
      "the program's funders changed since the batch was made; cancel it and make a new one",
    );
    expect(refusalOf(() => assertApprovable(facts({ lines: [] })))).toMatchObject({
      code: 'empty_batch',
      message: 'payment batch pbt_1 has no lines to pay; cancel it',
    });
    // A recovery of 10.00 since: rdm_3 now owes 20.00, not 30.00.
    expect(
      refusalOf(() =>
        assertApprovable(
          facts({
            outstanding: new Map([
              ['rdm_1', 10_001n],
              ['rdm_2', 20_000n],
              ['rdm_3', -2_000n],
            ]),
          }),
        ),
      ).message,
    ).toBe("redemption rdm_3's claim changed since the batch was made; cancel it and make a new one");
    const stalePayee = "provider P-B's registration or bank account changed since the batch was made; cancel it and make a new one";
    const withB = (b: ReturnType<typeof registrationOf> | undefined) =>
      facts({
        registrations: new Map([
          ['P-A', registrationOf('P-A')],
          ['P-B', b],
        ]),
      });
    expect(refusalOf(() => assertApprovable(withB(registrationOf('P-B', { status: 'suspended' })))).message).toBe(stalePayee);
    expect(refusalOf(() => assertApprovable(withB(undefined))).message).toBe(stalePayee);
    expect(refusalOf(() => assertApprovable(withB(registrationOf('P-B', { bankAccount: { ...ACCOUNT, accountNumber: '6222000000000000' } })))).message).toBe(
      stalePayee,
    );
  });
});
