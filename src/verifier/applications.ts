// Applications, as the chain establishes them (decision 0038): every decision that leads to a voucher is an
// entry, and this replays them independently of the service. An application moves submitted → first approved →
// approved (its notice opened) → granted, or is returned (and resubmitted as a new revision) or rejected; an
// objection holds it until resolved. A voucher granted from it must follow a final approval by an officer other
// than the first approver and a whole notice of the program's length, with no objection open; a program that
// takes applications issues no voucher any other way.
import { fen, yuan } from './arithmetic.js';
import type { Entry, Facts } from './entry.js';
import { shanghaiDate } from './calendar.js';
import { noticePeriodOf } from './working-days.js';

type Data = Record<string, unknown>;
type Problem = string | undefined;
type Status = 'submitted' | 'first_approved' | 'approved' | 'returned' | 'rejected' | 'on_hold' | 'granted';

/** A program's application round, as its program.funded entry recorded it. */
export interface ApplicationTermsFacts {
  opensOn: string;
  closesOn: string;
  noticeWorkingDays: number;
  office: string;
  telephone: string;
}

/** What the checks read of a program (registry.ts holds it). */
interface ProgramOfApplications {
  region: string;
  kind: string;
  applications: ApplicationTermsFacts | null;
}

interface ApplicationFacts {
  programId: string;
  uscc: string;
  name: string;
  requested: bigint;
  revision: number;
  documents: string[];
  status: Status;
  firstReviewer: string | null;
  finalReviewer: string | null;
  approved: bigint | null;
  /** Set by the notice_opened entry that follows a final approval. */
  notice: { startsOn: string; endsOn: string } | null;
  openObjections: Set<string>;
  objections: Set<string>;
  /** When the last decision on it was recorded: its decisions follow one another in time. */
  lastAt: string;
  /** When the final approval was recorded: its notice opens in the same command, at the same instant. */
  approvedAt: string | null;
}

export const APPLICATION_TYPES = new Set([
  'application.submitted',
  'application.reviewed',
  'application.notice_opened',
  'application.objection_recorded',
  'application.objection_resolved',
]);

/** The terms a program.funded entry records for a program that takes applications, or null. */
export function applicationTermsOf(d: Data): ApplicationTermsFacts | null {
  if (d['issuance'] !== 'application') return null;
  const terms = d['applications'] as Data;
  const contact = terms['contact'] as Data;
  return {
    opensOn: terms['opensOn'] as string,
    closesOn: terms['closesOn'] as string,
    noticeWorkingDays: terms['noticeWorkingDays'] as number,
    office: contact['office'] as string,
    telephone: contact['telephone'] as string,
  };
}

const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((value, i) => value === b[i]);

/** Rules an application entry keeps on its own: declarations made, amounts positive, a notice's day of decision. */
export function applicationRulesProblem(entry: Entry): Problem {
  const d = entry.data;
  switch (entry.type) {
    case 'application.submitted': {
      const declarations = d['declarations'] as Data;
      for (const key of ['noRelatedPartyContracts', 'noOtherPublicFunding', 'noDishonestyRecord'])
        if (declarations[key] !== true) return `declarations.${key} is not true: an application is taken only with all three declarations`;
      return fen(d['amount'])! > 0n ? undefined : 'amount is not positive';
    }
    case 'application.reviewed': {
      const finalApproval = d['stage'] === 'final' && d['decision'] === 'approve';
      if (finalApproval !== (d['amount'] !== null)) return finalApproval ? 'a final approval records no amount' : 'only a final approval records an amount';
      return finalApproval && fen(d['amount'])! <= 0n ? 'the approved amount is not positive' : undefined;
    }
    case 'application.notice_opened': {
      const today = shanghaiDate(entry.recordedAt);
      return d['decidedOn'] === today ? undefined : `decidedOn ${String(d['decidedOn'])} is not the day the notice was opened (${today}, Asia/Shanghai)`;
    }
    default:
      return undefined;
  }
}

/** The notice's dates, re-derived on the working-day calendar from the day of decision and its length. */
export function noticeDatesProblem(d: Data): Problem {
  const period = noticePeriodOf(d['decidedOn'] as string, d['workingDays'] as number);
  if (typeof period === 'string') return `the notice period cannot be re-derived: ${period}`;
  if (period.startsOn !== d['startsOn'] || period.endsOn !== d['endsOn'])
    return `the notice runs ${String(d['startsOn'])} to ${String(d['endsOn'])}, but ${String(d['workingDays'])} working days from the day after ${String(d['decidedOn'])} run ${period.startsOn} to ${period.endsOn}`;
  return undefined;
}

export class ApplicationState {
  private readonly applications = new Map<string, ApplicationFacts>();
  /** The application of each enterprise in each program that is not rejected: at most one. */
  private readonly live = new Map<string, string>();

  /** Why the entry does not follow from the applications the chain holds before it, or undefined. */
  check(entry: Entry, facts: Facts, program: ProgramOfApplications | undefined): Problem {
    const d = entry.data;
    if (entry.type === 'voucher.issued') return this.grantProblem(entry, facts, program);
    if (!program) return `${entry.type} names program ${String(d['programId'])}, which no earlier program.funded entry creates`;
    if (!program.applications) return `program ${String(d['programId'])} issues vouchers directly and takes no applications`;
    if (d['region'] !== program.region || d['kind'] !== program.kind) return `region or kind is not program ${String(d['programId'])}'s`;
    const id = d['applicationId'] as string;
    const application = this.applications.get(id);
    if (entry.type === 'application.submitted') return this.submissionProblem(entry, application, program.applications);
    if (!application) return `${entry.type} acts on application ${id}, which no earlier application.submitted entry submits`;
    if (application.programId !== d['programId']) return `programId is not application ${id}'s program ${application.programId}`;
    const early = this.timeProblem(entry, id, application);
    if (early) return early;
    switch (entry.type) {
      case 'application.reviewed':
        return this.reviewProblem(entry, application, facts);
      case 'application.notice_opened': {
        if (application.status !== 'approved' || application.notice !== null || d['revision'] !== application.revision)
          return `opens a notice for application ${id}, which has no final approval of revision ${String(d['revision'])} awaiting its notice`;
        // Without this, a forger could date the notice (and so its dates) before the approval that opened it.
        if (entry.recordedAt !== application.approvedAt)
          return `the notice of application ${id} is recorded at ${entry.recordedAt}, not at its final approval (${String(application.approvedAt)})`;
        const enterprise = d['enterprise'] as Data;
        if (enterprise['uscc'] !== application.uscc || enterprise['name'] !== application.name) return `enterprise is not application ${id}'s`;
        if (facts.amounts['amount'] !== application.approved) return `amount ${String(d['amount'])} is not the amount the final review approved`;
        if (d['workingDays'] !== program.applications.noticeWorkingDays)
          return `workingDays ${String(d['workingDays'])} is not program ${application.programId}'s notice length of ${program.applications.noticeWorkingDays}`;
        const contact = d['contact'] as Data;
        if (contact['office'] !== program.applications.office || contact['telephone'] !== program.applications.telephone)
          return `contact is not program ${application.programId}'s`;
        return undefined;
      }
      case 'application.objection_recorded':
        if (application.notice === null || (application.status !== 'approved' && application.status !== 'on_hold'))
          return `records an objection to application ${id}, which is ${application.status} and not in its notice`;
        return application.objections.has(d['objectionId'] as string) ? `objection ${String(d['objectionId'])} is recorded twice` : undefined;
      case 'application.objection_resolved':
        return application.openObjections.has(d['objectionId'] as string)
          ? undefined
          : `resolves objection ${String(d['objectionId'])}, which is not open on application ${id}`;
      default:
        return undefined;
    }
  }

  private submissionProblem(entry: Entry, application: ApplicationFacts | undefined, terms: ApplicationTermsFacts): Problem {
    const d = entry.data;
    const id = d['applicationId'] as string;
    const uscc = (d['enterprise'] as Data)['uscc'] as string;
    const revision = d['revision'] as number;
    if (revision === 1) {
      if (application) return `application ${id} is submitted twice`;
      const today = shanghaiDate(entry.recordedAt);
      if (today < terms.opensOn || today > terms.closesOn) return `submitted on ${today}, outside the program's window ${terms.opensOn} to ${terms.closesOn}`;
      const live = this.live.get(`${String(d['programId'])}|${uscc}`);
      return live === undefined ? undefined : `enterprise ${uscc} already has application ${live} in program ${String(d['programId'])}`;
    }
    if (!application) return `resubmits application ${id}, which no earlier application.submitted entry submits`;
    const early = this.timeProblem(entry, id, application);
    if (early) return early;
    if (application.status !== 'returned') return `resubmits application ${id}, which is ${application.status}, not returned`;
    if (revision !== application.revision + 1) return `revision ${revision} does not follow revision ${application.revision}`;
    if (uscc !== application.uscc || d['programId'] !== application.programId) return `resubmits application ${id} for another enterprise or program`;
    return undefined;
  }

  private reviewProblem(entry: Entry, application: ApplicationFacts, facts: Facts): Problem {
    const d = entry.data;
    const id = d['applicationId'] as string;
    if (d['revision'] !== application.revision)
      return `reviews revision ${String(d['revision'])} of application ${id}, whose current revision is ${application.revision}`;
    const expected = d['stage'] === 'first' ? 'submitted' : 'first_approved';
    if (application.status !== expected) return `a ${String(d['stage'])} review of application ${id}, which is ${application.status}, not ${expected}`;
    if (d['stage'] !== 'final' || d['decision'] !== 'approve') return undefined;
    // Four eyes: the final approval is another officer's than the first.
    if (entry.actor['sub'] === application.firstReviewer) return `${String(entry.actor['sub'])} approved application ${id} at both stages`;
    const approved = facts.amounts['amount']!;
    return approved > application.requested ? `approves ${String(d['amount'])}, above the ${yuan(application.requested)} requested` : undefined;
  }

  private grantProblem(entry: Entry, facts: Facts, program: ProgramOfApplications | undefined): Problem {
    const d = entry.data;
    const granted = d['application'] as Data | undefined;
    if (!granted) return program?.applications ? `program ${String(d['programId'])} takes applications: its vouchers are granted from one` : undefined;
    if (!program?.applications) return `grants a voucher from an application in program ${String(d['programId'])}, which takes none`;
    const id = granted['id'] as string;
    const application = this.applications.get(id);
    if (!application || application.programId !== d['programId'])
      return `grants from application ${id}, which the chain does not hold in program ${String(d['programId'])}`;
    if (application.status === 'on_hold') return `grants from application ${id} while an objection to its notice is open`;
    const early = this.timeProblem(entry, id, application);
    if (early) return early;
    if (application.status !== 'approved' || application.notice === null)
      return `grants from application ${id}, which is ${application.status}${application.notice ? '' : ' with no notice opened'}`;
    const today = shanghaiDate(entry.recordedAt);
    if (today <= application.notice.endsOn) return `grants on ${today}, before the notice of application ${id} ended (${application.notice.endsOn})`;
    const beneficiary = d['beneficiary'] as Data;
    if (beneficiary['uscc'] !== application.uscc || beneficiary['name'] !== application.name) return `the beneficiary is not application ${id}'s enterprise`;
    if (facts.amounts['amount'] !== application.approved) return `amount ${String(d['amount'])} is not the ${yuan(application.approved ?? 0n)} approved`;
    if (
      granted['revision'] !== application.revision ||
      granted['firstReviewer'] !== application.firstReviewer ||
      granted['finalReviewer'] !== application.finalReviewer ||
      granted['noticeStartsOn'] !== application.notice.startsOn ||
      granted['noticeEndsOn'] !== application.notice.endsOn ||
      !sameList(granted['documents'] as unknown[], application.documents)
    )
      return `what the voucher records of application ${id} (revision, reviewers, notice, documents) is not what the chain holds`;
    return undefined;
  }

  /** An entry on an application recorded before the decision on it that precedes it in the chain. */
  private timeProblem(entry: Entry, id: string, application: ApplicationFacts): Problem {
    return entry.recordedAt < application.lastAt
      ? `recorded at ${entry.recordedAt}, before the previous decision on application ${id} (${application.lastAt})`
      : undefined;
  }

  /** Records what a well-formed entry establishes. */
  apply(entry: Entry, facts: Facts): void {
    const d = entry.data;
    if (entry.type === 'voucher.issued') {
      const granted = d['application'] as Data | undefined;
      const application = granted && this.applications.get(granted['id'] as string);
      if (application) Object.assign(application, { status: 'granted', lastAt: entry.recordedAt });
      return;
    }
    const id = d['applicationId'] as string;
    const application = this.applications.get(id);
    if (application) application.lastAt = entry.recordedAt;
    switch (entry.type) {
      case 'application.submitted': {
        const enterprise = d['enterprise'] as Data;
        const next: ApplicationFacts = {
          programId: d['programId'] as string,
          uscc: enterprise['uscc'] as string,
          name: enterprise['name'] as string,
          requested: facts.amounts['amount']!,
          revision: d['revision'] as number,
          documents: [...(d['documents'] as string[])],
          status: 'submitted',
          firstReviewer: null,
          finalReviewer: null,
          approved: null,
          notice: null,
          openObjections: application?.openObjections ?? new Set(),
          objections: application?.objections ?? new Set(),
          lastAt: entry.recordedAt,
          approvedAt: null,
        };
        this.applications.set(id, next);
        this.live.set(`${next.programId}|${next.uscc}`, id);
        return;
      }
      case 'application.reviewed': {
        if (!application) return;
        const decision = d['decision'];
        if (decision === 'return') Object.assign(application, { status: 'returned', firstReviewer: null, finalReviewer: null });
        else if (decision === 'reject') this.reject(id, application);
        else if (d['stage'] === 'first') Object.assign(application, { status: 'first_approved', firstReviewer: entry.actor['sub'] });
        else
          Object.assign(application, {
            status: 'approved',
            finalReviewer: entry.actor['sub'],
            approved: facts.amounts['amount'] ?? null,
            approvedAt: entry.recordedAt,
          });
        return;
      }
      case 'application.notice_opened':
        if (application) application.notice = { startsOn: d['startsOn'] as string, endsOn: d['endsOn'] as string };
        return;
      case 'application.objection_recorded':
        if (!application) return;
        application.objections.add(d['objectionId'] as string);
        application.openObjections.add(d['objectionId'] as string);
        application.status = 'on_hold';
        return;
      case 'application.objection_resolved':
        if (!application) return;
        application.openObjections.delete(d['objectionId'] as string);
        if (d['outcome'] === 'upheld') this.reject(id, application);
        else if (application.status === 'on_hold' && application.openObjections.size === 0) application.status = 'approved';
        return;
      default:
        return;
    }
  }

  private reject(id: string, application: ApplicationFacts): void {
    application.status = 'rejected';
    const key = `${application.programId}|${application.uscc}`;
    if (this.live.get(key) === id) this.live.delete(key);
  }
}
