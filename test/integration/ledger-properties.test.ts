import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import { parseSignedYuan } from '../../src/shared/money.js';
import { ENTERPRISE, OTHER_ENTERPRISE } from '../helpers/fixtures.js';
import { expectLedgerInvariants, snapshot } from '../helpers/ledger-checks.js';
import { buildTestApp } from '../helpers/test-app.js';

const amount = fc.bigInt({ min: 1n, max: 5_000_000_00n }).map((fen) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`);

const operation = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('program' as const),
      kind: fc.constantFrom('compute', 'corpus', 'model'),
      budget: amount,
      cap: fc.option(amount, { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('voucher' as const),
      program: fc.nat(),
      amount,
      enterprise: fc.constantFrom(ENTERPRISE, OTHER_ENTERPRISE),
      expiresOn: fc.constantFrom('2025-12-10', '2026-06-30'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('contract' as const),
      kind: fc.constantFrom('compute', 'corpus', 'model'),
      autonomous: fc.boolean(),
      amount,
      enterprise: fc.constantFrom(ENTERPRISE, OTHER_ENTERPRISE),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('redeem' as const), voucher: fc.nat(), contract: fc.nat(), amount, day: fc.integer({ min: 1, max: 30 }) }),
  },
  // The seeded vouchers and contracts are made in matching order, so equal indexes usually fit each other.
  {
    weight: 6,
    arbitrary: fc
      .nat({ max: 2 })
      .chain((i) =>
        fc.record({ op: fc.constant('redeem' as const), voucher: fc.constant(i), contract: fc.constant(i), amount, day: fc.integer({ min: 1, max: 30 }) }),
      ),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('reverse' as const), redemption: fc.nat(), amount }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('revoke' as const), voucher: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('sweep' as const) }) },
);

type Op = typeof operation extends fc.Arbitrary<infer T> ? T : never;
const stats = { runs: 0, redeemed: 0 };

describe('any sequence of operations through the API', () => {
  it('keeps every entry balanced, the chain intact, balances equal to postings, no account of public money negative, and rejected requests without effect', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 5, maxLength: 30 }), async (randomOps) => {
        const t = await buildTestApp({ now: '2025-11-30T04:00:00Z' });
        // Seed every kind, so that the random operations meet real vouchers and contracts.
        const seed: Op[] = (['compute', 'corpus', 'model'] as const).flatMap((kind, i): Op[] => [
          { op: 'program', kind, budget: '20000000.00', cap: kind === 'compute' ? undefined : '1000000.00' },
          { op: 'voucher', program: i, amount: '3000000.00', enterprise: ENTERPRISE, expiresOn: '2026-06-30' },
          { op: 'contract', kind, autonomous: i === 0, amount: '50000000.00', enterprise: ENTERPRISE },
        ]);
        const ops = [...seed, ...randomOps];
        let redeemed = 0;
        const made = { program: [] as string[], voucher: [] as string[], contract: [] as string[], redemption: [] as string[] };
        const pick = (list: string[], n: number) => list[n % Math.max(list.length, 1)] ?? 'missing';
        try {
          for (const op of ops) {
            const before = await snapshot(t.db);
            let res;
            switch (op.op) {
              case 'program':
                res = await t.issuer.post('/v1/programs', {
                  name: 'p',
                  kind: op.kind,
                  budget: op.budget,
                  ...(op.cap && op.kind !== 'compute' ? { limits: { [op.kind]: { annualCap: op.cap } } } : {}),
                });
                if (res.status === 201) made.program.push(res.body.id);
                break;
              case 'voucher':
                res = await t.issuer.post('/v1/vouchers', {
                  programId: pick(made.program, op.program),
                  beneficiary: { uscc: op.enterprise, name: 'e' },
                  amount: op.amount,
                  expiresOn: op.expiresOn,
                });
                if (res.status === 201) made.voucher.push(res.body.id);
                break;
              case 'contract':
                res = await t.provider.post('/v1/contracts', {
                  number: `HT-${made.contract.length}-${Math.random()}`,
                  beneficiaryUscc: op.enterprise,
                  kind: op.kind,
                  ...(op.kind === 'compute' ? { autonomous: op.autonomous } : {}),
                  amount: op.amount,
                  signedOn: '2025-06-01',
                });
                if (res.status === 201) made.contract.push(res.body.id);
                break;
              case 'redeem':
                res = await t.provider.post('/v1/redemptions', {
                  voucherId: pick(made.voucher, op.voucher),
                  contractId: pick(made.contract, op.contract),
                  executedAmount: op.amount,
                  executedOn: `2025-11-${String(op.day).padStart(2, '0')}`,
                  invoiceNumber: `I-${Math.random()}`,
                });
                if (res.status === 201) made.redemption.push(res.body.id);
                if (res.status === 201) redeemed++;
                break;
              case 'reverse':
                res = await t.provider.post(`/v1/redemptions/${pick(made.redemption, op.redemption)}/reversals`, { executedAmount: op.amount, reason: 'r' });
                break;
              case 'revoke':
                res = await t.issuer.post(`/v1/vouchers/${pick(made.voucher, op.voucher)}/revoke`, { reason: 'r' });
                break;
              case 'sweep':
                t.clock.set('2025-12-11T04:00:00Z');
                res = await t.issuer.post('/v1/vouchers/expiry-sweep');
                break;
            }
            expect(res.status).toBeLessThan(500);
            if (res.status >= 400) expect(await snapshot(t.db)).toBe(before);
          }
          await expectLedgerInvariants(t.db);
          stats.runs++;
          stats.redeemed += redeemed;
          const balances = await t.db.selectFrom('account_balances').selectAll().execute();
          for (const { account, balance_fen } of balances) if (!account.startsWith('appropriation:')) expect(balance_fen >= 0n, account).toBe(true);
          for (const entry of await readEntries(t.db, {}, 10_000))
            if (entry.type === 'redemption.recorded')
              expect(parseSignedYuan(entry.data['subsidy'] as string) <= parseSignedYuan(entry.data['entitlement'] as string)).toBe(true);
        } finally {
          await t.close();
        }
      }),
      { numRuns: 25 },
    );
    // Guard against a property that only ever exercises rejections.
    expect(stats.redeemed).toBeGreaterThan(stats.runs);
  }, 120_000);
});
