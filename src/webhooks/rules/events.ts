// Which ledger entries become webhook events, what each carries and who may receive it (decision 0044). Pure:
// the outbox asks `lookupsFor` what it must read (a voucher's enterprise, an application's), reads it, and
// `eventsOf` decides. An entry type absent from ENTRY_EVENTS costs one lookup in a Set and nothing more.
import { covers } from '../../shared/region.js';

/** A JSON value, as entries' data and events' payloads hold them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What the rules read of a ledger entry (the ledger's own type, structurally: rules import no ledger module). */
export interface EntryOfEvent {
  seq: number;
  type: string;
  hash: string;
  data: { region: string; programId?: string; kind?: string; [key: string]: JsonValue | undefined };
}

export const EVENT_TYPES = [
  'application.decided',
  'notice.opened',
  'voucher.granted',
  'voucher.expiring',
  'voucher.expired',
  'claim.submitted',
  'claim.confirmed',
  'claim.disputed',
  'claim.decided',
  'payment.approved',
  'payment.paid',
  'payment.recovered',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type OwnerKind = 'issuer' | 'provider' | 'enterprise';

/** What each kind of subscriber may receive: an issuer everything of its region; the parties what names them. */
export const EVENTS_FOR: Record<OwnerKind, readonly EventType[]> = {
  issuer: EVENT_TYPES,
  provider: ['claim.submitted', 'claim.confirmed', 'claim.disputed', 'claim.decided', 'payment.approved', 'payment.paid', 'payment.recovered'],
  enterprise: [
    'application.decided',
    'notice.opened',
    'voucher.granted',
    'voucher.expiring',
    'voucher.expired',
    'claim.submitted',
    'claim.confirmed',
    'claim.disputed',
    'claim.decided',
  ],
};

/** Who an event is about: the program's region (its issuers), the provider and the enterprise it names, if any. */
export interface Audience {
  region: string;
  providerUscc: string | null;
  enterpriseUscc: string | null;
}

export interface EventDraft {
  type: EventType;
  audience: Audience;
  /** The payload's `data`: the entry's seq and hash, region, program and the ids and amounts (decimal strings). */
  data: { [key: string]: JsonValue };
}

/** The entry types that may become events; every other entry is let through without a query. */
export const ENTRY_EVENTS: ReadonlySet<string> = new Set<string>([
  'application.reviewed',
  'application.notice_opened',
  'voucher.issued',
  'voucher.expired',
  'program.closed',
  'claim.submitted',
  'claim.confirmed',
  'claim.disputed',
  'claim.approved',
  'claim.rejected',
  'claim.returned',
  'payment.approved',
  'payment.disbursed',
  'payment.recovered',
]);

/** What the outbox must read before deciding: the enterprise of these vouchers and of this application. */
export interface Lookups {
  voucherIds: string[];
  applicationId: string | null;
}

/** What it read. */
export interface Found {
  voucherEnterprise: ReadonlyMap<string, string>;
  applicationEnterprise: string | null;
}

type Data = EntryOfEvent['data'];
const text = (data: Data, key: string): string => data[key] as string;
const object = (data: Data, key: string): { [key: string]: JsonValue } => data[key] as { [key: string]: JsonValue };

/** An application review that ends it (approved at the final stage, or rejected at either); returns are not events. */
const isFinalDecision = (data: Data) => data['decision'] === 'reject' || (data['stage'] === 'final' && data['decision'] === 'approve');

export function lookupsFor(entry: EntryOfEvent): Lookups {
  const data = entry.data;
  switch (entry.type) {
    case 'application.reviewed':
      return { voucherIds: [], applicationId: isFinalDecision(data) ? text(data, 'applicationId') : null };
    case 'voucher.expired':
      return { voucherIds: [text(data, 'voucherId')], applicationId: null };
    case 'program.closed':
      return { voucherIds: (data['vouchers'] as { voucherId: string }[]).map((v) => v.voucherId), applicationId: null };
    default:
      return { voucherIds: [], applicationId: null };
  }
}

/** The events an entry makes (none for most), in the order they are delivered. */
export function eventsOf(entry: EntryOfEvent, found: Found): EventDraft[] {
  if (!ENTRY_EVENTS.has(entry.type)) return [];
  const data = entry.data;
  const base = { seq: entry.seq, entryHash: entry.hash, entryType: entry.type, region: data.region, programId: data.programId ?? null };
  const event = (type: EventType, audience: Omit<Audience, 'region'>, members: { [key: string]: JsonValue }): EventDraft => ({
    type,
    audience: { region: data.region, ...audience },
    data: { ...base, ...members },
  });
  const claimHead = () => ({
    redemptionId: text(data, 'redemptionId'),
    voucherId: text(data, 'voucherId'),
    providerUscc: text(data, 'providerUscc'),
    beneficiaryUscc: text(data, 'beneficiaryUscc'),
  });
  switch (entry.type) {
    case 'application.reviewed': {
      if (!isFinalDecision(data) || found.applicationEnterprise === null) return [];
      return [
        event(
          'application.decided',
          { providerUscc: null, enterpriseUscc: found.applicationEnterprise },
          {
            applicationId: text(data, 'applicationId'),
            revision: data['revision']!,
            enterpriseUscc: found.applicationEnterprise,
            decision: data['decision'] === 'approve' ? 'approved' : 'rejected',
            stage: data['stage']!,
            amount: data['amount'] ?? null,
            reason: data['reason'] ?? null,
          },
        ),
      ];
    }
    case 'application.notice_opened': {
      const enterprise = object(data, 'enterprise');
      return [
        event(
          'notice.opened',
          { providerUscc: null, enterpriseUscc: enterprise['uscc'] as string },
          {
            applicationId: text(data, 'applicationId'),
            enterpriseUscc: enterprise['uscc']!,
            amount: data['amount']!,
            startsOn: data['startsOn']!,
            endsOn: data['endsOn']!,
          },
        ),
      ];
    }
    case 'voucher.issued': {
      const beneficiary = object(data, 'beneficiary');
      const application = data['application'] as { id: string } | undefined;
      return [
        event(
          'voucher.granted',
          { providerUscc: null, enterpriseUscc: beneficiary['uscc'] as string },
          {
            voucherId: text(data, 'voucherId'),
            kind: data.kind ?? null,
            beneficiaryUscc: beneficiary['uscc']!,
            amount: data['amount']!,
            expiresOn: data['expiresOn']!,
            applicationId: application?.id ?? null,
          },
        ),
      ];
    }
    case 'voucher.expired': {
      const voucherId = text(data, 'voucherId');
      const enterprise = found.voucherEnterprise.get(voucherId) ?? null;
      return [
        event(
          'voucher.expired',
          { providerUscc: null, enterpriseUscc: enterprise },
          { voucherId, beneficiaryUscc: enterprise, expiresOn: data['expiresOn']!, returned: data['returned']!, programClosed: false },
        ),
      ];
    }
    case 'program.closed':
      return (data['vouchers'] as { voucherId: string; returned: string }[]).map((voucher) => {
        const enterprise = found.voucherEnterprise.get(voucher.voucherId) ?? null;
        return event(
          'voucher.expired',
          { providerUscc: null, enterpriseUscc: enterprise },
          { voucherId: voucher.voucherId, beneficiaryUscc: enterprise, expiresOn: null, returned: voucher.returned, programClosed: true },
        );
      });
    case 'claim.submitted': {
      const contract = object(data, 'contract');
      const providerUscc = contract['providerUscc'] as string;
      const beneficiaryUscc = contract['beneficiaryUscc'] as string;
      return [
        event(
          'claim.submitted',
          { providerUscc, enterpriseUscc: beneficiaryUscc },
          {
            redemptionId: text(data, 'redemptionId'),
            voucherId: text(data, 'voucherId'),
            providerUscc,
            beneficiaryUscc,
            contractId: contract['id']!,
            invoiceNumber: data['invoiceNumber']!,
            executedAmount: data['executedAmount']!,
            reserved: data['subsidy']!,
            confirmationDueOn: data['confirmationDueOn'] ?? null,
            status: data['status']!,
          },
        ),
      ];
    }
    case 'claim.confirmed': {
      const head = claimHead();
      return [
        event(
          'claim.confirmed',
          { providerUscc: head.providerUscc, enterpriseUscc: head.beneficiaryUscc },
          { ...head, executedAmount: data['executedAmount']!, paidAmount: data['paidAmount']!, status: data['status']! },
        ),
      ];
    }
    case 'claim.disputed': {
      const head = claimHead();
      return [event('claim.disputed', { providerUscc: head.providerUscc, enterpriseUscc: head.beneficiaryUscc }, { ...head, reason: data['reason']! })];
    }
    case 'claim.approved':
    case 'claim.rejected':
    case 'claim.returned': {
      const head = claimHead();
      const decision = entry.type === 'claim.approved' ? 'approved' : entry.type === 'claim.rejected' ? 'rejected' : 'returned';
      return [
        event(
          'claim.decided',
          { providerUscc: head.providerUscc, enterpriseUscc: head.beneficiaryUscc },
          {
            ...head,
            decision,
            by: data['by'] ?? 'review',
            approved: entry.type === 'claim.approved' ? data['subsidy']! : null,
            released: entry.type === 'claim.approved' ? data['released']! : entry.type === 'claim.rejected' ? data['reserved']! : null,
            reason: data['reason'] ?? null,
            confirmationDueOn: entry.type === 'claim.returned' ? (data['confirmationDueOn'] ?? null) : null,
          },
        ),
      ];
    }
    case 'payment.approved':
      // One event per line: a provider receives its own line, never another provider's amounts.
      return (data['lines'] as { lineId: string; providerUscc: string; amount: string; redemptions: JsonValue }[]).map((line) =>
        event(
          'payment.approved',
          { providerUscc: line.providerUscc, enterpriseUscc: null },
          {
            batchId: text(data, 'batchId'),
            lineId: line.lineId,
            providerUscc: line.providerUscc,
            amount: line.amount,
            redemptions: line.redemptions,
          },
        ),
      );
    case 'payment.disbursed':
      return [
        event(
          'payment.paid',
          { providerUscc: text(data, 'providerUscc'), enterpriseUscc: null },
          {
            batchId: text(data, 'batchId'),
            lineId: text(data, 'lineId'),
            providerUscc: text(data, 'providerUscc'),
            amount: data['amount']!,
            redemptions: data['redemptions']!,
            bankReference: data['bankReference']!,
            paidOn: data['paidOn']!,
          },
        ),
      ];
    case 'payment.recovered':
      return [
        event(
          'payment.recovered',
          { providerUscc: text(data, 'providerUscc'), enterpriseUscc: null },
          {
            recoveryId: text(data, 'recoveryId'),
            providerUscc: text(data, 'providerUscc'),
            amount: data['amount']!,
            redemptions: data['redemptions']!,
            receivedOn: data['receivedOn']!,
          },
        ),
      ];
    default:
      return [];
  }
}

/** Whether a subscription of this owner receives an event with this audience. */
export function receives(owner: { kind: OwnerKind; id: string }, audience: Audience): boolean {
  switch (owner.kind) {
    case 'issuer':
      return covers(owner.id, audience.region);
    case 'provider':
      return audience.providerUscc === owner.id;
    case 'enterprise':
      return audience.enterpriseUscc === owner.id;
  }
}

/** The region codes whose issuers cover `region`: itself, its prefecture and its province. */
export function coveringRegions(region: string): string[] {
  return [...new Set([region, `${region.slice(0, 4)}00`, `${region.slice(0, 2)}0000`])];
}
