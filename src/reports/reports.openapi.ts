import { z } from 'zod';
import type { Operation } from '../http/openapi.js';
import { annualReportQuery, annualReportSchema } from './reports.schemas.js';

export const reportsOperations: Operation[] = [
  {
    method: 'get',
    path: '/v1/reports/annual',
    tag: 'Reports',
    summary: 'The annual report of a region: funds, vouchers, subsidy, payments, enterprises, leverage',
    description:
      'Every figure is a fold over the ledger’s entries of the year (Asia/Shanghai) through `throughSeq`, the position over every entry through it; the verifier repeats it from an export (`npm run verify -- report`). Rows by region (the region’s own programs and each region directly below it), voucher kind, cap bucket, funder and month (decision 0043). `format=xlsx`: a workbook, one sheet per table; `format=csv&table=…`: one table, Chinese headers, with a BOM.',
    access: { roles: ['issuer', 'auditor'], scope: 'its own region or one within it' },
    query: annualReportQuery,
    responses: {
      200: {
        description: 'the report (JSON), or a spreadsheet',
        schema: z.union([annualReportSchema, z.string()]),
        contentType: ['application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
      },
    },
    problems: [],
  },
];
