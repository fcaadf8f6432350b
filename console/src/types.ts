// The shapes of the public /v1 API the console reads: the types generated from GET /openapi.json
// (src/client/schema.d.ts, `npm run client:generate`), so that the console cannot drift from the API.
import type { components, operations } from '../../src/client/schema';

type Schemas = components['schemas'];
type Json<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

export type Program = Schemas['Program'];
/** The terms of a program whose redemptions are claims (decision 0041): both off for every other program. */
export type ClaimTerms = Program['claims'];
export type Funder = Program['funding'][number];
export type Voucher = Schemas['Voucher'];
export type Contract = Schemas['Contract'];
export type RedemptionResult = Json<operations['postRedemptions']['responses'][201]>;
export type LimitedBy = RedemptionResult['limitedBy'];
export type Redemption = Schemas['Redemption'];
/** Every redemption's status: `approved` for an ordinary one; a claim's moves as decision 0041 says. */
export type RedemptionStatus = Redemption['status'];
/** A redemption of a program with claims: what was claimed, held, confirmed paid, approved and released. */
export type Claim = NonNullable<Schemas['Claim']>;
export type ClaimDocument = Claim['documents'][number];
export type ClaimHistoryItem = Claim['history'][number];
export type PaymentBatch = Schemas['PaymentBatch'];
export type BatchLine = PaymentBatch['lines'][number];
/** What POST /v1/payment-batches/:id/reconcile answers: each statement row matched, mismatched or unknown. */
export type Reconciliation = Json<operations['postPaymentBatchesIdReconcile']['responses'][200]>;
export type Registration = Schemas['ProviderRegistration'];
export type LedgerEntry = Schemas['LedgerEntry'];
/** GET /v1/ledger/checkpoint: the JWS and the C2SP signed note of the same head. */
export type Checkpoint = Schemas['SignedCheckpoint'];
export type Usage = Json<operations['getBeneficiariesUsccUsage']['responses'][200]>;
/** Where a program's money is: funded = available + onVouchers + reserved + owedToProviders + paid (yuan strings). */
export type Balances = Schemas['ProgramBalances'];
/** GET /v1/programs/:id/balances: summed by the server from the program's postings up to `throughSeq`. */
export type ProgramBalances = Schemas['ProgramBalancesOverTime'];

/** An enterprise's application (申报): its status, notice, objections and whole history. */
export type Application = Schemas['Application'];
export type Objection = Application['objections'][number];
/** What POST /v1/applications and /resubmit take. */
export type ApplicationBody = NonNullable<operations['postApplications']['requestBody']>['content']['application/json'];
/** One line of the public notices (GET /v1/public/notices, read without a token). */
export type PublicNotice = Schemas['PublicNotice'];
export type CallForApplications = Schemas['CallForApplications'];
/** A stored document as POST /v1/documents answers it and an application lists it. */
export type DocumentMeta = Application['documents'][number];

/** GET /v1/programs/:id/closing: whether the program may close today, and who gets what back (decision 0042). */
export type ProgramClosing = Schemas['ProgramClosing'];
export type CloseShare = ProgramClosing['funders'][number];
/** What POST /v1/programs/:id/close answers: what went back to whom, and the program after it. */
export type ProgramClose = Json<operations['postProgramsIdClose']['responses'][200]>;
/** A watchlist listing (失信 or another list), with its delisting once it ends. */
export type Listing = Schemas['Listing'];
/** Enterprises declared related (shareholding, management, family or other ties). */
export type RelatedPartyGroup = Schemas['RelatedPartyGroup'];
/** A reproducible sample of a program's approved redemptions and the results recorded for it. */
export type SpotCheck = Schemas['SpotCheck'];
export type SpotCheckItem = SpotCheck['items'][number];

/** GET /v1/reports/annual (decision 0043): a region's year, folded from the ledger's entries through `throughSeq`. */
export type AnnualReport = Schemas['AnnualReport'];
/** The figures of the totals, of a region's row and of a kind's. */
export type ReportFigures = AnnualReport['totals'];
/** R's own programs (region = R) or everything within a region directly below R. */
export type RegionRow = AnnualReport['regions'][number];
export type KindRow = AnnualReport['kinds'][number];
export type BucketRow = AnnualReport['buckets'][number];
/** A (program region row, funder region) pair, from the postings of that funder's own accounts. */
export type FunderRow = AnnualReport['funders'][number];
export type MonthRow = AnnualReport['months'][number];
/** Cumulative through throughSeq: funded = available + onVouchers + reserved + owedToProviders + paid. */
export type ReportPosition = AnnualReport['position'];
/** The tables `format=csv&table=…` downloads one at a time. */
export type ReportTable = NonNullable<operations['getReportsAnnual']['parameters']['query']['table']>;

/** A webhook subscription (decision 0044): its URL, the event types it receives, active or deleted (disabled). */
export type Webhook = Schemas['Webhook'];
export type WebhookEventType = Webhook['events'][number];
/** What POST /v1/webhooks answers: the subscription and its signing secret, shown in this answer only. */
export type CreatedWebhook = Json<operations['postWebhooks']['responses'][201]>;
/** A subscription whose secret was just rotated: the new secret, once, and until when the old one signs too (decision 0047). */
export type RotatedWebhook = Json<operations['postWebhooksIdSecret']['responses'][200]>;
/** One event's delivery to one subscription: its attempts, the receiver's last answer, when it was delivered. */
export type WebhookDelivery = Schemas['WebhookDelivery'];
