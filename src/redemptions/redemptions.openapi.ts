import type { Operation } from '../http/openapi.js';
import { pageSchema } from '../shared/pagination.js';
import {
  listRedemptionsQuery,
  redeemSchema,
  redemptionIdParams,
  redemptionRecordViewSchema,
  redemptionViewSchema,
  reversalViewSchema,
  reverseSchema,
} from './redemptions.schemas.js';

const tag = 'Redemptions';

/** The rules engine's refusals of a redemption (README "Error codes"). */
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
    responses: { 201: { description: 'the subsidy granted and the voucher balance after it', schema: redemptionViewSchema } },
    problems: ['not_found', 'duplicate_invoice', 'contract_already_subsidized', ...REDEMPTION_RULES],
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
    problems: ['not_found', 'reversal_exceeds_redemption'],
  },
];
