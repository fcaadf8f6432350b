// The pure rules of claims (decision 0041) with worked numbers: what an approval owes and releases, and which moves
// a claim may make from each status.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Claim } from '../../src/redemptions/claims.model.js';
import { confirmationMove, isOverdue, reviewMove, submissionMove } from '../../src/redemptions/rules/claim-lifecycle.js';
import { type ApprovalRequest, decideApproval } from '../../src/redemptions/rules/decide-approval.js';
import { computeSubsidy } from '../../src/rules/subsidy.js';
import { DomainError } from '../../src/shared/errors.js';

/** 1,000,000.00 claimed at 30% on a fresh contract, uncapped, from a voucher of 500,000.00: 300,000.00 reserved. */
const request = (members: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  rate: '0.30',
  claimedExecuted: 100_000_000n,
  paidAmount: null,
  reserved: 30_000_000n,
  inputs: {
    policyId: 'zj-ai-2025',
    year: 2026,
    netExecutedBefore: 0n,
    annualCap: null,
    annualUsedBefore: 0n,
    programAnnualCap: 500_000_000n,
    programUsedBefore: 0n,
    voucherBalanceBefore: 50_000_000n,
  },
  contract: { netExecuted: 100_000_000n, netSubsidy: 30_000_000n },
  openClaims: { executed: 100_000_000n, reserved: 30_000_000n },
  voucherActive: true,
  ...members,
});

describe('decideApproval', () => {
  it('owes 240,000.00 and releases 60,000.00 of 300,000.00 when the enterprise proved 800,000.00 paid of 1,000,000.00', () => {
    expect(decideApproval(request({ paidAmount: 80_000_000n }))).toEqual({
      basis: 80_000_000n,
      entitlement: 24_000_000n,
      computed: 24_000_000n,
      contractNetExecutedAfter: 80_000_000n,
      contractCeilingAfter: 24_000_000n,
      approved: 24_000_000n,
      released: 6_000_000n,
      returnedTo: 'voucher',
    });
  });

  it('owes the whole reservation when nothing is confirmed (review only) or more was paid than executed', () => {
    expect(decideApproval(request()).approved).toBe(30_000_000n);
    expect(decideApproval(request({ paidAmount: 120_000_000n }))).toMatchObject({ basis: 100_000_000n, approved: 30_000_000n, released: 0n });
  });

  it('rounds the basis down cumulatively: 1,000.01 executed after 1,000.00 on the contract at 5% owes 50.00, paid 1,000.01', () => {
    // floor(0.05 × 2,000.01) − floor(0.05 × 1,000.00) = 100.00 − 50.00.
    const decision = decideApproval(
      request({
        rate: '0.05',
        claimedExecuted: 100_001n,
        paidAmount: 100_001n,
        reserved: 5_000n,
        inputs: { ...request().inputs, netExecutedBefore: 100_000n },
        contract: { netExecuted: 200_001n, netSubsidy: 10_000n },
        openClaims: { executed: 100_001n, reserved: 5_000n },
      }),
    );
    expect(decision).toMatchObject({ entitlement: 5_000n, contractCeilingAfter: 10_000n, approved: 5_000n, released: 0n });
  });

  it('makes no room from another open claim: approved first, a later claim is held to the contract’s approved part', () => {
    // At 30%, claim A of 1,000.03 reserved floor(300.009) = 300.00; claim B of 1,000.03 after it reserved
    // floor(600.018) − 300.00 = 300.01. B approved while A is open: A's reservation is not owed and may be released,
    // so B keeps no more than floor(0.3 × 1,000.03) = 300.00, and 0.01 goes back.
    const decision = decideApproval(
      request({
        claimedExecuted: 100_003n,
        reserved: 30_001n,
        inputs: { ...request().inputs, netExecutedBefore: 100_003n },
        contract: { netExecuted: 200_006n, netSubsidy: 60_001n },
        openClaims: { executed: 200_006n, reserved: 60_001n },
      }),
    );
    expect(decision).toMatchObject({ computed: 30_001n, contractCeilingAfter: 30_000n, approved: 30_000n, released: 1n });
  });

  it('returns the release to the program once the voucher is closed', () => {
    expect(decideApproval(request({ paidAmount: 80_000_000n, voucherActive: false })).returnedTo).toBe('program');
  });

  it('never owes more than was reserved nor more than the subsidy on what was paid, and releases the rest exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000_000_000n }),
        fc.bigInt({ min: 1n, max: 20_000_000_000n }),
        fc.bigInt({ min: 0n, max: 10_000_000_000n }),
        fc.constantFrom('0.30', '0.10', '0.05', '0.333333'),
        (executed, paid, before, rate) => {
          const inputs = { ...request().inputs, netExecutedBefore: before, voucherBalanceBefore: 10_000_000_000n, programAnnualCap: null };
          const subsidy = (amount: bigint) =>
            computeSubsidy({
              rate,
              netExecutedBefore: before,
              executedAmount: amount,
              policyCap: { cap: null, usedBefore: 0n },
              programCap: { cap: null, usedBefore: 0n },
              voucherBalance: inputs.voucherBalanceBefore,
            }).subsidy;
          const reserved = subsidy(executed);
          const decision = decideApproval(
            request({
              rate,
              claimedExecuted: executed,
              paidAmount: paid,
              reserved,
              inputs,
              contract: { netExecuted: before + executed, netSubsidy: subsidy(before) + reserved },
              openClaims: { executed, reserved },
            }),
          );
          expect(decision.approved).toBeLessThanOrEqual(reserved);
          expect(decision.approved).toBeLessThanOrEqual(subsidy(paid < executed ? paid : executed));
          expect(decision.approved + decision.released).toBe(reserved);
          expect(decision.released).toBeGreaterThanOrEqual(0n);
        },
      ),
    );
  });
});

const claim = (members: Partial<Claim> = {}): Claim => ({
  redemptionId: 'rdm_1',
  beneficiaryUscc: 'E',
  needsConfirmation: true,
  needsReview: true,
  claimedExecuted: 100_000_000n,
  reservedAtSubmission: 30_000_000n,
  reserved: 30_000_000n,
  paidAmount: null,
  basis: null,
  approved: null,
  released: null,
  confirmationDueOn: '2026-03-12',
  inputs: request().inputs,
  updatedAt: '2026-03-02T02:00:00.000Z',
  ...members,
});

describe('a claim’s moves', () => {
  const terms = { beneficiaryConfirmation: true, review: true, confirmationDays: 10 };

  it('goes to the enterprise for 10 calendar days on submission, or straight to review without confirmation', () => {
    expect(submissionMove(terms, '2026-03-02', 'submitted')).toEqual({ status: 'awaiting_confirmation', action: 'submitted', confirmationDueOn: '2026-03-12' });
    // Over a month's end and a leap day: calendar days, not working days.
    expect(submissionMove({ ...terms, confirmationDays: 10 }, '2028-02-25', 'resubmitted').confirmationDueOn).toBe('2028-03-06');
    expect(submissionMove({ ...terms, beneficiaryConfirmation: false }, '2026-03-02', 'submitted')).toEqual({
      status: 'awaiting_review',
      action: 'submitted',
      confirmationDueOn: null,
    });
  });

  it('is confirmed on its due day but not the day after, when the sweep lapses it', () => {
    const open = { id: 'rdm_1', status: 'awaiting_confirmation' as const };
    expect(confirmationMove(open, claim(), '2026-03-12').status).toBe('awaiting_review');
    expect(confirmationMove(open, claim({ needsReview: false }), '2026-03-12').status).toBe('approved');
    expect(() => confirmationMove(open, claim(), '2026-03-13')).toThrow(expect.objectContaining({ code: 'claim_overdue' }));
    expect(isOverdue(open, claim(), '2026-03-12')).toBe(false);
    expect(isOverdue(open, claim(), '2026-03-13')).toBe(true);
    expect(isOverdue({ status: 'awaiting_review' }, claim(), '2026-03-13')).toBe(false);
  });

  it('is reviewed only while awaiting review; a return gives the provider 10 days', () => {
    expect(reviewMove({ id: 'rdm_1', status: 'awaiting_review' }, 'return', terms, '2026-03-20')).toEqual({
      status: 'returned',
      action: 'returned',
      confirmationDueOn: '2026-03-30',
    });
    const refused = () => reviewMove({ id: 'rdm_1', status: 'awaiting_confirmation' }, 'approve', terms, '2026-03-20');
    expect(refused).toThrow(DomainError);
    expect(refused).toThrow('claim rdm_1 is awaiting_confirmation: it cannot be reviewed');
  });
});
