import { z } from 'zod';
import { entryFilterShape, refineDateRange, seqParam } from '../ledger.schemas.js';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The export filters, shared by the HTTP endpoint and the CLI; every bound is inclusive. */
export const exportQuerySchema = z
  .strictObject({
    format: z.enum(EXPORT_FORMATS, { error: 'must be ndjson or csv' }).default('ndjson'),
    fromSeq: seqParam.optional(),
    toSeq: seqParam.optional(),
    ...entryFilterShape,
    // Spreadsheets need the BOM to read UTF-8, so the CSV has one unless bom=0.
    bom: z
      .enum(['0', '1'], { error: 'must be 0 or 1' })
      .transform((flag) => flag === '1')
      .optional(),
    lang: z.enum(['en', 'zh'], { error: 'must be en or zh' }).default('en'),
  })
  .superRefine((query, ctx) => {
    if (query.fromSeq !== undefined && query.toSeq !== undefined && query.fromSeq > query.toSeq)
      ctx.addIssue({ code: 'custom', path: ['toSeq'], message: 'must not be below fromSeq' });
    refineDateRange(query, ctx);
    if (query.bom !== undefined && query.format !== 'csv') ctx.addIssue({ code: 'custom', path: ['bom'], message: 'applies to csv only' });
    if (query.lang !== 'en' && query.format !== 'csv') ctx.addIssue({ code: 'custom', path: ['lang'], message: 'applies to csv only' });
  });
export type ExportQuery = z.infer<typeof exportQuerySchema>;
