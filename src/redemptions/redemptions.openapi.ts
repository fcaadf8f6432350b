import type { Operation } from '../http/openapi.js';
import { pageSchema } from '../shared/pagination.js';
import {
  claimReasonSchema,
  confirmClaimSchema,
  lapseSweepSchema,
  lapseSweepViewSchema,
  resubmitClaimSchema,
  reviewClaimSchema,
  listRedemptionsQuery,
  redeemSchema,
  redemptionIdParams,
  redemptionRecordViewSchema,
  redemptionViewSchema,
  reversalViewSchema,
  reverseSchema,
} from './redemptions.schemas.js';

const tag = 'Redemptions';

/** The rules engine's refusals of a redemption (docs/api.md, "Error codes"). */
const REDEMPTION_RULES = [
  'related_party',
  'kind_mismatch',
  'beneficiary_mismatch',
  'voucher_not_active',
  'voucher_expired',
  'outside_policy_window',
  'future_execution',
  'execution_before_signing',
  'exceeds_contract_amount',
  'national_rules_apply',
  'provider_not_registered',
  'service_not_registered',
  'autonomy_mismatch',
];

export const redemptionsOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/redemptions',
    tag,
    summary: 'Redeem a voucher against a contract execution',
    access: { roles: ['provider'], scope: "the contract's provider" },
    body: redeemSchema,
    write: true,
    description:
      'On a program whose redemptions are claims (`claims` in its terms, decision 0041) the body must list `documents` (the contract and the invoice at least, uploaded by the provider) and the answer has `status` `awaiting_confirmation` or `awaiting_review`: the subsidy is reserved, not owed.',
    responses: { 201: { description: 'the subsidy granted (or reserved, for a claim) and the voucher balance after it', schema: redemptionViewSchema } },
    problems: ['not_found', 'duplicate_invoice', 'contract_already_subsidized', 'unknown_document', 'program_closed', 'listed_entity', ...REDEMPTION_RULES],
  },
  {
    method: 'get',
    path: '/v1/redemptions',
    tag,
    summary: 'List redemptions',
    description:
      "In ledger order, filtered by program, voucher, contract and provider. A provider reads its own; an issuer those of its region's vouchers; an auditor those of the regions it covers.",
    access: { roles: ['provider', 'issuer', 'auditor', 'enterprise'], scope: 'scoped by provider or region; an enterprise those against its vouchers' },
    query: listRedemptionsQuery,
    paged: true,
    responses: {
      200: { description: 'a page of redemptions as they stand now', schema: pageSchema(redemptionRecordViewSchema).meta({ id: 'RedemptionPage' }) },
    },
    problems: [],
  },
  {
    method: 'get',
    path: '/v1/redemptions/:id',
    tag,
    summary: 'Read a redemption and its settlement status',
    access: {
      roles: ['provider', 'issuer', 'auditor', 'enterprise'],
      scope: "its provider, an issuer of the voucher's region, an auditor covering it, the enterprise holding the voucher",
    },
    params: redemptionIdParams,
    responses: { 200: { description: 'the redemption as it stands now', schema: redemptionRecordViewSchema } },
    problems: ['not_found'],
  },
  {
    method: 'post',
    path: '/v1/redemptions/:id/reversals',
    tag,
    summary: 'Reverse part of a redemption',
    access: { roles: ['provider', 'issuer'], scope: "the redemption's provider, or an issuer of the voucher's region" },
    params: redemptionIdParams,
    body: reverseSchema,
    write: true,
    responses: { 201: { description: 'the reversal and its clawback', schema: reversalViewSchema } },
    problems: ['not_found', 'reversal_exceeds_redemption', 'claim_not_approved', 'claims_open_on_contract'],
  },
  ...claimOperations(),
];

/** The decisions on a claim (decision 0041): each answers with the redemption as it now stands. */
function claimOperations(): Operation[] {
  const decision = (
    path: string,
    summary: string,
    role: 'enterprise' | 'provider' | 'issuer',
    scope: string,
    body: Operation['body'],
    problems: string[],
  ): Operation => ({
    method: 'post',
    path: `/v1/redemptions/:id/${path}`,
    tag,
    summary,
    access: { roles: [role], scope },
    params: redemptionIdParams,
    body,
    write: true,
    responses: { 200: { description: 'the claim as it now stands', schema: redemptionRecordViewSchema } },
    problems: ['not_found', 'invalid_transition', ...problems],
  });
  return [
    decision(
      'confirm',
      'Confirm a claim with the amount actually paid',
      'enterprise',
      "the voucher's enterprise, by the claim's confirmationDueOn",
      confirmClaimSchema,
      // Without review, the confirmation approves the claim: a listed party or related parties refuse it (decision 0042).
      ['claim_overdue', 'unknown_document', 'listed_entity', 'related_party'],
    ),
    decision('dispute', 'Dispute a claim', 'enterprise', "the voucher's enterprise, by the claim's confirmationDueOn", claimReasonSchema, ['claim_overdue']),
    decision(
      'resubmit',
      'Resubmit a disputed or returned claim with corrected evidence',
      'provider',
      "the claim's provider, by its confirmationDueOn",
      resubmitClaimSchema,
      ['claim_overdue', 'unknown_document', 'listed_entity', 'related_party'],
    ),
    decision('withdraw', 'Withdraw an open claim, releasing its reservation', 'provider', "the claim's provider", claimReasonSchema, []),
    decision('review', 'Approve, reject or return a claim awaiting review', 'issuer', "an issuer of the voucher's region", reviewClaimSchema, [
      'listed_entity',
      'related_party',
    ]),
    {
      method: 'post',
      path: '/v1/redemptions/lapse-sweep',
      tag,
      summary: 'Lapse the claims of the region not answered in time',
      description:
        'Releases every claim of the region’s vouchers still awaiting confirmation, disputed or returned after its `confirmationDueOn` (`npm run sweep` does this daily for every region).',
      access: { roles: ['issuer'], scope: 'the claims of its own region' },
      body: lapseSweepSchema,
      write: true,
      responses: { 200: { description: 'the claims lapsed', schema: lapseSweepViewSchema } },
      problems: [],
    },
  ];
}
