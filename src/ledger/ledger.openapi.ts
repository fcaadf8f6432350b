import { z } from 'zod';
import type { Operation } from '../http/openapi.js';
import { exportQuerySchema } from './export/export.schemas.js';
import { ledgerPageQuery, seqParam } from './ledger.schemas.js';
import { ENTRY_TYPES } from './ledger.types.js';

const tag = 'Ledger';

export const ledgerEntrySchema = z
  .strictObject({
    seq: z.number().int(),
    type: z.enum(ENTRY_TYPES),
    recordedAt: z.string(),
    actor: z.object({ sub: z.string(), role: z.string(), region: z.string().optional(), org: z.string().optional() }),
    data: z.object({ region: z.string() }).catchall(z.unknown()).meta({ description: "the entry's inputs, per type; see docs/architecture.md, The ledger" }),
    postings: z.array(z.strictObject({ account: z.string(), amount: z.string().meta({ description: 'signed yuan, two decimals' }) })),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'LedgerEntry' });

export const ledgerOperations: Operation[] = [
  {
    method: 'get',
    path: '/v1/ledger',
    tag,
    summary: 'Read ledger entries after a seq, filtered',
    description:
      'The entries matching every filter given (type, program, region, voucher kind, Asia/Shanghai dates), after `afterSeq` in seq order. `nextAfterSeq` is the last seq of a full page, or null when the page was not full.',
    access: { roles: ['auditor'], scope: 'the entries of the regions it covers' },
    query: ledgerPageQuery,
    responses: {
      200: { description: 'a page of entries', schema: z.strictObject({ entries: z.array(ledgerEntrySchema), nextAfterSeq: z.number().int().nullable() }) },
    },
    problems: [],
  },
  {
    method: 'get',
    path: '/v1/ledger/export',
    tag,
    summary: 'Export the ledger (NDJSON or CSV), streamed',
    access: { roles: ['auditor'], scope: 'the entries of the regions it covers' },
    query: exportQuerySchema,
    responses: {
      200: {
        description: 'NDJSON (one entry per line, then a trailer), or CSV (one row per posting) with `format=csv`',
        schema: z.string(),
        contentType: ['application/x-ndjson', 'text/csv'],
      },
    },
    problems: [],
  },
  {
    method: 'get',
    path: '/v1/ledger/entries/:seq',
    tag,
    summary: 'One entry exactly as hashed, to whoever it concerns',
    description:
      'Auditors: entries of the regions they cover; issuers: their own region’s, or naming it as funder; a provider or an enterprise: the entries it made and those that concern it, by its USCC (as provider, beneficiary, applicant, on a payment batch’s lines, listed or in a related-party group) or through the voucher, application or redemption they name (a revocation, expiry or close of its voucher, the review of its application, a spot check of its redemption). Any other seq is 404. Recompute its hash and leaf, and prove it with `GET /v1/public/proofs/inclusion` (decision 0045).',
    access: { roles: ['auditor', 'issuer', 'provider', 'enterprise'], scope: 'the entries that concern the caller' },
    params: z.object({ seq: seqParam }),
    responses: { 200: { description: 'the entry', schema: ledgerEntrySchema } },
    problems: ['not_found'],
  },
];
