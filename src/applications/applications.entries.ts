// The ledger entries of an application's decisions (decision 0038), as pure drafts without postings: no money
// moves until the grant, whose voucher.issued entry (vouchers.entries.ts) names the application. Each carries
// what the verifier needs to re-derive the decision: the state machine, four eyes, the notice's dates.
// Members and their order are the entries' format: the verifier re-derives them and every hash covers them.
import type { Actor } from '../auth/actor.js';
import type { EntryDraft, JsonValue } from '../ledger/ledger.types.js';
import type { NoticeContact } from '../programs/programs.model.js';
import { formatFen } from '../shared/money.js';
import type { Application, Objection, ObjectionOutcome } from './applications.model.js';
import type { Review } from './rules/lifecycle.js';

const about = (application: Application) => ({
  region: application.region,
  programId: application.programId,
  kind: application.kind,
  applicationId: application.id,
});

/** Submitted (revision 1) or resubmitted after a return (revision 2, 3, …): everything the enterprise applied with. */
export function applicationSubmittedEntry(application: Application, actor: Actor): EntryDraft {
  return {
    type: 'application.submitted',
    actor,
    data: {
      ...about(application),
      revision: application.revision,
      enterprise: { uscc: application.enterprise.uscc, name: application.enterprise.name },
      amount: formatFen(application.amount),
      purpose: application.purpose,
      declarations: { ...application.declarations },
      documents: [...application.documents],
    },
    postings: [],
  };
}

/** A review at either stage; a final approval records the amount approved, every other review none. */
export function applicationReviewedEntry(application: Application, review: Review, approvedAmount: bigint | null, actor: Actor): EntryDraft {
  return {
    type: 'application.reviewed',
    actor,
    data: {
      ...about(application),
      revision: application.revision,
      stage: review.stage,
      decision: review.decision,
      amount: approvedAmount === null ? null : formatFen(approvedAmount),
      reason: review.reason,
    },
    postings: [],
  };
}

/** The public notice a final approval opens, with the dates worked out on the Chinese working-day calendar. */
export function noticeOpenedEntry(application: Application, contact: NoticeContact, actor: Actor): EntryDraft {
  const notice = application.notice!;
  return {
    type: 'application.notice_opened',
    actor,
    data: {
      ...about(application),
      revision: application.revision,
      enterprise: { uscc: application.enterprise.uscc, name: application.enterprise.name },
      amount: formatFen(application.approvedAmount!),
      decidedOn: notice.decidedOn,
      workingDays: notice.workingDays,
      startsOn: notice.startsOn,
      endsOn: notice.endsOn,
      contact: { office: contact.office, telephone: contact.telephone },
    },
    postings: [],
  };
}

export function objectionRecordedEntry(application: Application, objection: Objection, actor: Actor): EntryDraft {
  return {
    type: 'application.objection_recorded',
    actor,
    data: { ...about(application), objectionId: objection.id, summary: objection.summary },
    postings: [],
  };
}

export function objectionResolvedEntry(application: Application, objection: Objection, outcome: ObjectionOutcome, reason: string, actor: Actor): EntryDraft {
  return {
    type: 'application.objection_resolved',
    actor,
    data: { ...about(application), objectionId: objection.id, outcome, reason },
    postings: [],
  };
}

/** What a voucher granted from an application records of it: the application, both reviewers, the notice, the documents. */
export function grantedFrom(application: Application): { [key: string]: JsonValue } {
  const notice = application.notice!;
  return {
    id: application.id,
    revision: application.revision,
    firstReviewer: application.firstReviewer!,
    finalReviewer: application.finalReviewer!,
    noticeStartsOn: notice.startsOn,
    noticeEndsOn: notice.endsOn,
    documents: [...application.documents],
  };
}
