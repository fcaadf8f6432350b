import { z } from 'zod';
import { ratioSchema } from '../programs/programs.schemas.js';
import { calendarDateSchema } from '../shared/dates.js';
import { pageQueryShape } from '../shared/pagination.js';
import { requiredText } from '../shared/text.js';
import { usccSchema } from '../shared/uscc.js';
import { OUTCOMES, RELATIONS } from './oversight.model.js';

export const listEnterpriseSchema = z.strictObject({
  uscc: usccSchema,
  name: requiredText(200).optional(),
  reason: requiredText(500),
  /** The listing authority or list, e.g. "信用中国 严重失信主体名单". */
  source: requiredText(200),
  /** The day that authority listed the enterprise. */
  listedOn: calendarDateSchema,
});
export type ListEnterpriseInput = z.infer<typeof listEnterpriseSchema>;

export const usccParams = z.object({ uscc: usccSchema });
export const delistSchema = z.strictObject({ reason: requiredText(500) });
export type DelistInput = z.infer<typeof delistSchema>;

export const LISTING_STATUSES = ['active', 'delisted'] as const;
export const listWatchlistQuery = z.strictObject({
  ...pageQueryShape,
  uscc: usccSchema.optional(),
  status: z.enum(LISTING_STATUSES, { error: 'must be "active" or "delisted"' }).optional(),
});
export type ListWatchlistQuery = z.infer<typeof listWatchlistQuery>;

export const listingViewSchema = z
  .strictObject({
    id: z.string(),
    uscc: z.string(),
    name: z.string().nullable(),
    /** The listing region: it applies to programs of this region and below. */
    region: z.string(),
    reason: z.string(),
    source: z.string(),
    listedOn: z.string(),
    listedAt: z.string(),
    status: z.enum(LISTING_STATUSES),
    delisting: z.strictObject({ on: z.string(), at: z.string(), reason: z.string() }).nullable(),
    ledgerSeq: z.number().int(),
  })
  .meta({ id: 'Listing' });
export type ListingView = z.infer<typeof listingViewSchema>;

export const declareGroupSchema = z
  .strictObject({
    usccs: z.array(usccSchema, { error: 'must be an array of USCCs' }).min(2, 'must list at least 2 enterprises').max(20, 'must list at most 20 enterprises'),
    relation: z.enum(RELATIONS, { error: `must be one of ${RELATIONS.join(', ')}` }),
    reason: requiredText(500),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.usccs.forEach((uscc, i) => {
      if (seen.has(uscc)) ctx.addIssue({ code: 'custom', path: ['usccs', i], message: 'is listed twice' });
      seen.add(uscc);
    });
  });
export type DeclareGroupInput = z.infer<typeof declareGroupSchema>;

export const listGroupsQuery = z.strictObject({ ...pageQueryShape, uscc: usccSchema.optional() });
export type ListGroupsQuery = z.infer<typeof listGroupsQuery>;

export const relatedGroupViewSchema = z
  .strictObject({
    id: z.string(),
    region: z.string(),
    relation: z.enum(RELATIONS),
    usccs: z.array(z.string()),
    reason: z.string(),
    declaredAt: z.string(),
    ledgerSeq: z.number().int(),
  })
  .meta({ id: 'RelatedPartyGroup' });
export type RelatedGroupView = z.infer<typeof relatedGroupViewSchema>;

/** A seed the checker chooses (publishing it lets anyone re-draw): printable, without control characters. */
const seedSchema = z
  .string({ error: 'must be a text of 1 to 128 printable characters' })
  .min(1, 'must be a text of 1 to 128 printable characters')
  .max(128, 'must be a text of 1 to 128 printable characters')
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must be a text of 1 to 128 printable characters');

export const drawSpotCheckSchema = z.strictObject({ rate: ratioSchema, seed: seedSchema });
export type DrawSpotCheckInput = z.infer<typeof drawSpotCheckSchema>;

export const spotCheckResultSchema = z.strictObject({
  redemptionId: requiredText(64),
  outcome: z.enum(OUTCOMES, { error: 'must be "passed" or "failed"' }),
  reason: requiredText(500),
});
export type SpotCheckResultInput = z.infer<typeof spotCheckResultSchema>;

export const idParams = z.object({ id: z.string() });
export const listSpotChecksQuery = z.strictObject({ ...pageQueryShape, programId: requiredText(64).optional() });
export type ListSpotChecksQuery = z.infer<typeof listSpotChecksQuery>;

export const spotCheckViewSchema = z
  .strictObject({
    id: z.string(),
    programId: z.string(),
    region: z.string(),
    seed: z.string(),
    rate: z.string(),
    /** The program's approved redemptions when it was drawn. */
    population: z.number().int(),
    size: z.number().int(),
    drawnOn: z.string(),
    drawnBy: z.strictObject({ role: z.string(), sub: z.string() }),
    ledgerSeq: z.number().int(),
    items: z.array(
      z.strictObject({
        redemptionId: z.string(),
        outcome: z.enum(OUTCOMES).nullable(),
        reason: z.string().nullable(),
        recordedAt: z.string().nullable(),
      }),
    ),
    /** How many were checked, passed and failed. */
    summary: z.strictObject({ checked: z.number().int(), passed: z.number().int(), failed: z.number().int() }),
  })
  .meta({ id: 'SpotCheck' });
export type SpotCheckView = z.infer<typeof spotCheckViewSchema>;
