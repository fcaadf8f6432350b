import { z } from 'zod';
import { calendarDateSchema } from '../shared/dates.js';
import { positiveYuanSchema, yuanText } from '../shared/money.js';
import { pageQueryShape } from '../shared/pagination.js';
import { regionSchema } from '../shared/region.js';
import { requiredText, sha256Schema } from '../shared/text.js';
import { APPLICATION_ACTIONS, APPLICATION_STATUSES, OBJECTION_OUTCOMES, OBJECTION_STATUSES, REVIEW_DECISIONS, REVIEW_STAGES } from './applications.model.js';

// Each declaration must be true: a false or missing one is refused by the rules as declaration_required (422),
// not as malformed input, so that the enterprise is told what it has to declare.
const declaration = z.boolean({ error: 'must be true or false' }).optional();

export const applicationBodySchema = z.strictObject({
  programId: requiredText(64),
  enterpriseName: requiredText(200),
  amount: positiveYuanSchema,
  purpose: requiredText(2000),
  declarations: z
    .strictObject(
      { noRelatedPartyContracts: declaration, noOtherPublicFunding: declaration, noDishonestyRecord: declaration },
      { error: 'must be an object {noRelatedPartyContracts, noOtherPublicFunding, noDishonestyRecord}' },
    )
    .default({}),
  documents: z
    .array(sha256Schema, { error: 'must be an array of document SHA-256s' })
    .min(1, 'must list at least one document (upload it with POST /v1/documents)')
    .max(20, 'must list at most 20 documents')
    .refine((list) => new Set(list).size === list.length, 'must not list a document twice'),
});
export type ApplicationBody = z.infer<typeof applicationBodySchema>;

export const reviewSchema = z.strictObject({
  stage: z.enum(REVIEW_STAGES, { error: 'must be "first" or "final"' }),
  decision: z.enum(REVIEW_DECISIONS, { error: 'must be "approve", "return" or "reject"' }),
  amount: positiveYuanSchema.optional(),
  reason: requiredText(1000),
  // The revision the reviewer read: a review of a revision resubmitted since is refused (stale_revision).
  revision: z
    .number({ error: 'must be the revision number the review is of' })
    .int('must be the revision number the review is of')
    .min(1, 'must be the revision number the review is of')
    .optional(),
});
export type ReviewInput = z.infer<typeof reviewSchema>;

export const objectionSchema = z.strictObject({ summary: requiredText(2000) });
export type ObjectionInput = z.infer<typeof objectionSchema>;

export const resolveObjectionSchema = z.strictObject({
  outcome: z.enum(OBJECTION_OUTCOMES, { error: 'must be "upheld" or "dismissed"' }),
  reason: requiredText(1000),
});
export type ResolveObjectionInput = z.infer<typeof resolveObjectionSchema>;

export const grantSchema = z.strictObject({ expiresOn: calendarDateSchema });
export type GrantInput = z.infer<typeof grantSchema>;

export const applicationIdParams = z.object({ id: z.string() });
export const objectionParams = z.object({ id: z.string(), objectionId: z.string() });

export const listApplicationsQuery = z.strictObject({
  ...pageQueryShape,
  programId: requiredText(64).optional(),
  status: z.enum(APPLICATION_STATUSES, { error: `must be one of ${APPLICATION_STATUSES.join(', ')}` }).optional(),
});
export type ListApplicationsQuery = z.infer<typeof listApplicationsQuery>;

export const listNoticesQuery = z.strictObject({
  ...pageQueryShape,
  region: regionSchema.optional(),
  programId: requiredText(64).optional(),
});
export type ListNoticesQuery = z.infer<typeof listNoticesQuery>;

const contactSchema = z.strictObject({ office: z.string(), telephone: z.string() });

export const applicationViewSchema = z
  .strictObject({
    id: z.string(),
    programId: z.string(),
    programName: z.string(),
    region: z.string(),
    kind: z.string(),
    enterprise: z.strictObject({ uscc: z.string(), name: z.string() }),
    /** Requested. */
    amount: yuanText,
    approvedAmount: yuanText.nullable(),
    purpose: z.string(),
    declarations: z.strictObject({ noRelatedPartyContracts: z.boolean(), noOtherPublicFunding: z.boolean(), noDishonestyRecord: z.boolean() }),
    documents: z.array(z.strictObject({ sha256: z.string(), name: z.string(), size: z.number().int(), contentType: z.string() })),
    status: z.enum(APPLICATION_STATUSES),
    revision: z.number().int(),
    notice: z
      .strictObject({ decidedOn: z.string(), startsOn: z.string(), endsOn: z.string(), workingDays: z.number().int(), contact: contactSchema })
      .nullable(),
    voucherId: z.string().nullable(),
    submittedAt: z.string(),
    updatedAt: z.string(),
    objections: z.array(
      z.strictObject({
        id: z.string(),
        summary: z.string(),
        status: z.enum(OBJECTION_STATUSES),
        receivedAt: z.string(),
        receivedBy: z.string(),
        resolvedAt: z.string().nullable(),
        resolvedBy: z.string().nullable(),
        reason: z.string().nullable(),
      }),
    ),
    history: z.array(
      z.strictObject({
        at: z.string(),
        by: z.strictObject({ role: z.string(), sub: z.string() }),
        action: z.enum(APPLICATION_ACTIONS),
        revision: z.number().int(),
        stage: z.enum(REVIEW_STAGES).nullable(),
        decision: z.enum(REVIEW_DECISIONS).nullable(),
        amount: yuanText.nullable(),
        reason: z.string().nullable(),
        objectionId: z.string().nullable(),
        outcome: z.enum(OBJECTION_OUTCOMES).nullable(),
        ledgerSeq: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'Application' });
export type ApplicationView = z.infer<typeof applicationViewSchema>;

export const listOpenProgramsQuery = z.strictObject({ ...pageQueryShape, region: regionSchema.optional() });
export type ListOpenProgramsQuery = z.infer<typeof listOpenProgramsQuery>;

export const ROUND_STATES = ['upcoming', 'open', 'closed'] as const;

export const callForApplicationsSchema = z
  .strictObject({
    programId: z.string(),
    name: z.string(),
    kind: z.string(),
    region: z.string(),
    opensOn: z.string(),
    closesOn: z.string(),
    noticeWorkingDays: z.number().int(),
    /** Where questions and objections go: the office and its telephone. */
    contact: z.string(),
    /** Today against the window: upcoming, open (applications are taken), closed. */
    state: z.enum(ROUND_STATES),
  })
  .meta({ id: 'CallForApplications' });
export type CallForApplicationsView = z.infer<typeof callForApplicationsSchema>;

export const NOTICE_STATES = ['open', 'ended', 'on_hold', 'granted', 'upcoming'] as const;

export const publicNoticeSchema = z
  .strictObject({
    applicationId: z.string(),
    programId: z.string(),
    programName: z.string(),
    region: z.string(),
    kind: z.string(),
    enterpriseName: z.string(),
    uscc: z.string(),
    amount: yuanText,
    startsOn: z.string(),
    endsOn: z.string(),
    workingDays: z.number().int(),
    /** Where objections go, as the notice prints it: the office and its telephone. */
    contact: z.string(),
    /** Today against the notice: upcoming (opens on the next working day), open, ended; on_hold while an objection is considered; granted. */
    state: z.enum(NOTICE_STATES),
  })
  .meta({ id: 'PublicNotice' });
export type PublicNoticeView = z.infer<typeof publicNoticeSchema>;
