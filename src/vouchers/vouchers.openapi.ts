import { z } from 'zod';
import type { Operation } from '../http/openapi.js';
import { pageSchema } from '../shared/pagination.js';
import {
  expiredVouchersSchema,
  expirySweepSchema,
  issueVoucherSchema,
  listVouchersQuery,
  providerVoucherViewSchema,
  revokeVoucherSchema,
  voucherIdParams,
  voucherViewSchema,
} from './vouchers.schemas.js';

const tag = 'Vouchers';

export const vouchersOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/vouchers',
    tag,
    summary: 'Issue a voucher',
    access: { roles: ['issuer'], scope: "the program's region" },
    body: issueVoucherSchema,
    write: true,
    responses: { 201: { description: 'the voucher', schema: voucherViewSchema } },
    problems: ['not_found', 'insufficient_budget', 'issuance_by_application', 'program_closed', 'listed_entity'],
  },
  {
    method: 'get',
    path: '/v1/vouchers',
    tag,
    summary: 'List vouchers',
    description:
      "Oldest first, filtered by program, beneficiary USCC and status. An issuer reads its region's; an auditor those of the regions it covers; an enterprise its own.",
    access: { roles: ['issuer', 'auditor', 'enterprise'], scope: 'scoped by region; an enterprise its own' },
    query: listVouchersQuery,
    paged: true,
    responses: { 200: { description: 'a page of vouchers', schema: pageSchema(voucherViewSchema).meta({ id: 'VoucherPage' }) } },
    problems: [],
  },
  {
    method: 'post',
    path: '/v1/vouchers/expiry-sweep',
    tag,
    summary: "Expire the region's lapsed vouchers",
    access: { roles: ['issuer'], scope: 'its own region' },
    body: expirySweepSchema,
    bodyOptional: true,
    write: true,
    responses: { 200: { description: 'the vouchers expired and what returned to their programs', schema: expiredVouchersSchema } },
    problems: [],
  },
  {
    method: 'get',
    path: '/v1/vouchers/:id',
    tag,
    summary: 'Read a voucher',
    description:
      'A provider holding a contract against the voucher (one that drew on it, or one with its beneficiary and kind not yet drawing on any voucher) reads its balance, status and expiry only.',
    access: {
      roles: ['issuer', 'auditor', 'provider', 'enterprise'],
      scope: "an issuer of the voucher's region, an auditor covering it, a provider with a contract against it, the enterprise holding it",
    },
    params: voucherIdParams,
    responses: { 200: { description: 'the voucher', schema: z.union([voucherViewSchema, providerVoucherViewSchema]) } },
    problems: ['not_found'],
  },
  {
    method: 'post',
    path: '/v1/vouchers/:id/revoke',
    tag,
    summary: 'Revoke a voucher',
    access: { roles: ['issuer'], scope: "the voucher's region" },
    params: voucherIdParams,
    body: revokeVoucherSchema,
    write: true,
    responses: { 200: { description: 'the voucher, revoked; its balance returned to the program', schema: voucherViewSchema } },
    problems: ['not_found', 'voucher_not_active'],
  },
];
