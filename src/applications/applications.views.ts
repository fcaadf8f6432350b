// Applications and public notices as the API answers them.
import type { DocumentMeta } from '../documents/documents.model.js';
import type { ApplicationTerms, NoticeContact, Program } from '../programs/programs.model.js';
import { formatFen } from '../shared/money.js';
import type { Application, ApplicationEvent, Objection } from './applications.model.js';
import type { NoticeListing } from './applications.repository.js';
import type { ApplicationView, CallForApplicationsView, NOTICE_STATES, PublicNoticeView } from './applications.schemas.js';

/** What the view needs besides the application: its program's name and notice contact, its documents, objections and history. */
export interface ApplicationContext {
  programName: string;
  contact: NoticeContact | null;
  documents: readonly DocumentMeta[];
  objections: readonly Objection[];
  history: readonly ApplicationEvent[];
}

export function applicationView(application: Application, context: ApplicationContext): ApplicationView {
  const byHash = new Map(context.documents.map((document) => [document.sha256, document]));
  return {
    id: application.id,
    programId: application.programId,
    programName: context.programName,
    region: application.region,
    kind: application.kind,
    enterprise: { uscc: application.enterprise.uscc, name: application.enterprise.name },
    amount: formatFen(application.amount),
    approvedAmount: application.approvedAmount === null ? null : formatFen(application.approvedAmount),
    purpose: application.purpose,
    declarations: { ...application.declarations },
    documents: application.documents.map((sha256) => {
      const document = byHash.get(sha256);
      return { sha256, name: document?.name ?? sha256, size: document?.size ?? 0, contentType: document?.contentType ?? 'application/octet-stream' };
    }),
    status: application.status,
    revision: application.revision,
    notice: application.notice && context.contact ? { ...application.notice, contact: { ...context.contact } } : null,
    voucherId: application.voucherId,
    submittedAt: application.submittedAt,
    updatedAt: application.updatedAt,
    objections: context.objections.map((objection) => ({
      id: objection.id,
      summary: objection.summary,
      status: objection.status,
      receivedAt: objection.receivedAt,
      receivedBy: objection.receivedBy,
      resolvedAt: objection.resolvedAt,
      resolvedBy: objection.resolvedBy,
      reason: objection.reason,
    })),
    history: context.history.map((event) => ({
      at: event.at,
      by: { role: event.by.role, sub: event.by.sub },
      action: event.action,
      revision: event.revision,
      stage: event.stage,
      decision: event.decision,
      amount: event.amount === null ? null : formatFen(event.amount),
      reason: event.reason,
      objectionId: event.objectionId,
      outcome: event.outcome,
      ledgerSeq: event.ledgerSeq,
    })),
  };
}

/** The contact line a notice prints. */
export const contactLine = (contact: NoticeContact): string => `${contact.office}，电话 ${contact.telephone}`;

function noticeState(listing: NoticeListing, today: string): (typeof NOTICE_STATES)[number] {
  const { application } = listing;
  if (application.status === 'granted') return 'granted';
  if (application.status === 'on_hold') return 'on_hold';
  const notice = application.notice!;
  if (today < notice.startsOn) return 'upcoming';
  return today <= notice.endsOn ? 'open' : 'ended';
}

/** A program's call for applications as anyone may read it: its window, its notice length and its contact. */
export function callForApplicationsView(program: Program & { applications: ApplicationTerms }, today: string): CallForApplicationsView {
  const { opensOn, closesOn } = program.applications;
  return {
    programId: program.id,
    name: program.name,
    kind: program.kind,
    region: program.region,
    opensOn,
    closesOn,
    noticeWorkingDays: program.applications.noticeWorkingDays,
    contact: contactLine(program.applications.contact),
    // A program closed before its window ends takes no more applications (decision 0042): its call is closed.
    state: program.closed ? 'closed' : today < opensOn ? 'upcoming' : today <= closesOn ? 'open' : 'closed',
  };
}

/** A notice as anyone may read it: who, how much, from which program, when, and where objections go. */
export function publicNoticeView(listing: NoticeListing, today: string): PublicNoticeView {
  const { application } = listing;
  const notice = application.notice!;
  return {
    applicationId: application.id,
    programId: application.programId,
    programName: listing.programName,
    region: application.region,
    kind: application.kind,
    enterpriseName: application.enterprise.name,
    uscc: application.enterprise.uscc,
    amount: formatFen(application.approvedAmount!),
    startsOn: notice.startsOn,
    endsOn: notice.endsOn,
    workingDays: notice.workingDays,
    contact: contactLine(listing.contact),
    state: noticeState(listing, today),
  };
}
