// The applications' tables (migration 0013): the only module that reads or writes them, mapping rows to the
// model and back (decision 0017's pattern): fen as bigint, booleans as booleans, statuses as their unions.
import type { Kysely } from 'kysely';
import type { ApplicationEventRow, ApplicationObjectionRow, ApplicationRow } from '../db/schema.applications.js';
import type { Database } from '../db/schema.js';
import type { NoticeContact } from '../programs/programs.model.js';
import type { VoucherKind } from '../rules/policy.js';
import type {
  Application,
  ApplicationAction,
  ApplicationEvent,
  ApplicationStatus,
  Objection,
  ObjectionOutcome,
  ObjectionStatus,
  ReviewDecision,
  ReviewStage,
} from './applications.model.js';

export function applicationToDomain(row: ApplicationRow, documents: string[]): Application {
  return {
    id: row.id,
    programId: row.program_id,
    region: row.region,
    kind: row.kind as VoucherKind,
    enterprise: { uscc: row.enterprise_uscc, name: row.enterprise_name },
    amount: row.amount_fen,
    approvedAmount: row.approved_amount_fen,
    purpose: row.purpose,
    declarations: {
      noRelatedPartyContracts: row.no_related_party_contracts,
      noOtherPublicFunding: row.no_other_public_funding,
      noDishonestyRecord: row.no_dishonesty_record,
    },
    documents,
    status: row.status as ApplicationStatus,
    revision: Number(row.revision),
    firstReviewer: row.first_reviewer,
    finalReviewer: row.final_reviewer,
    notice:
      row.notice_starts_on === null
        ? null
        : { decidedOn: row.notice_decided_on!, startsOn: row.notice_starts_on, endsOn: row.notice_ends_on!, workingDays: Number(row.notice_working_days) },
    voucherId: row.voucher_id,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
  };
}

export function applicationToRow(application: Application): ApplicationRow {
  return {
    id: application.id,
    program_id: application.programId,
    region: application.region,
    kind: application.kind,
    enterprise_uscc: application.enterprise.uscc,
    enterprise_name: application.enterprise.name,
    amount_fen: application.amount,
    approved_amount_fen: application.approvedAmount,
    purpose: application.purpose,
    no_related_party_contracts: application.declarations.noRelatedPartyContracts,
    no_other_public_funding: application.declarations.noOtherPublicFunding,
    no_dishonesty_record: application.declarations.noDishonestyRecord,
    status: application.status,
    revision: BigInt(application.revision),
    first_reviewer: application.firstReviewer,
    final_reviewer: application.finalReviewer,
    notice_decided_on: application.notice?.decidedOn ?? null,
    notice_starts_on: application.notice?.startsOn ?? null,
    notice_ends_on: application.notice?.endsOn ?? null,
    notice_working_days: application.notice ? BigInt(application.notice.workingDays) : null,
    voucher_id: application.voucherId,
    submitted_at: application.submittedAt,
    updated_at: application.updatedAt,
  };
}

const eventToDomain = (row: ApplicationEventRow): ApplicationEvent => ({
  at: row.at,
  by: { role: row.actor_role, sub: row.actor_sub },
  action: row.action as ApplicationAction,
  revision: Number(row.revision),
  stage: row.stage as ReviewStage | null,
  decision: row.decision as ReviewDecision | null,
  amount: row.amount_fen,
  reason: row.reason,
  objectionId: row.objection_id,
  outcome: row.outcome as ObjectionOutcome | null,
  ledgerSeq: Number(row.ledger_seq),
});

const objectionToDomain = (row: ApplicationObjectionRow): Objection => ({
  id: row.id,
  applicationId: row.application_id,
  summary: row.summary,
  status: row.status as ObjectionStatus,
  receivedAt: row.received_at,
  receivedBy: row.received_by,
  resolvedAt: row.resolved_at,
  resolvedBy: row.resolved_by,
  reason: row.reason,
});

const objectionToRow = (objection: Objection): ApplicationObjectionRow => ({
  id: objection.id,
  application_id: objection.applicationId,
  summary: objection.summary,
  status: objection.status,
  received_at: objection.receivedAt,
  received_by: objection.receivedBy,
  resolved_at: objection.resolvedAt,
  resolved_by: objection.resolvedBy,
  reason: objection.reason,
});

async function replaceDocuments(db: Kysely<Database>, application: Application): Promise<void> {
  await db.deleteFrom('application_documents').where('application_id', '=', application.id).execute();
  if (application.documents.length > 0)
    await db
      .insertInto('application_documents')
      .values(application.documents.map((sha256, position) => ({ application_id: application.id, position: BigInt(position), sha256 })))
      .execute();
}

export async function insertApplication(db: Kysely<Database>, application: Application): Promise<void> {
  await db.insertInto('applications').values(applicationToRow(application)).execute();
  await replaceDocuments(db, application);
}

/** Saves the application's current state; its documents too when `documentsChanged` (a resubmission). */
export async function saveApplication(db: Kysely<Database>, application: Application, documentsChanged = false): Promise<void> {
  const { id: _id, ...changes } = applicationToRow(application);
  await db.updateTable('applications').set(changes).where('id', '=', application.id).execute();
  if (documentsChanged) await replaceDocuments(db, application);
}

async function documentsOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, string[]>> {
  const byApplication = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return byApplication;
  const rows = await db
    .selectFrom('application_documents')
    .select(['application_id', 'sha256'])
    .where('application_id', 'in', ids)
    .orderBy('application_id')
    .orderBy('position')
    .execute();
  for (const row of rows) byApplication.get(row.application_id)!.push(row.sha256);
  return byApplication;
}

export async function findApplication(db: Kysely<Database>, id: string): Promise<Application | undefined> {
  const row = await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  return row && applicationToDomain(row, (await documentsOf(db, [id])).get(id)!);
}

/** The enterprise's application in the program that is not rejected (at most one: the unique index holds it). */
export async function findLiveApplication(
  db: Kysely<Database>,
  programId: string,
  enterpriseUscc: string,
): Promise<{ id: string; status: string } | undefined> {
  return db
    .selectFrom('applications')
    .select(['id', 'status'])
    .where('program_id', '=', programId)
    .where('enterprise_uscc', '=', enterpriseUscc)
    .where('status', '<>', 'rejected')
    .executeTakeFirst();
}

export async function appendEvent(db: Kysely<Database>, applicationId: string, event: ApplicationEvent): Promise<void> {
  const last = await db
    .selectFrom('application_events')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  await db
    .insertInto('application_events')
    .values({
      application_id: applicationId,
      position: BigInt(last?.position ?? 0n) + 1n,
      at: event.at,
      actor_role: event.by.role,
      actor_sub: event.by.sub,
      action: event.action,
      revision: BigInt(event.revision),
      stage: event.stage,
      decision: event.decision,
      amount_fen: event.amount,
      reason: event.reason,
      objection_id: event.objectionId,
      outcome: event.outcome,
      ledger_seq: BigInt(event.ledgerSeq),
    })
    .execute();
}

/** Each application's history, in order, for a page of applications at once. */
export async function findEventsOf(db: Kysely<Database>, applicationIds: readonly string[]): Promise<Map<string, ApplicationEvent[]>> {
  const byApplication = new Map<string, ApplicationEvent[]>(applicationIds.map((id) => [id, []]));
  if (applicationIds.length === 0) return byApplication;
  const rows = await db
    .selectFrom('application_events')
    .selectAll()
    .where('application_id', 'in', [...applicationIds])
    .orderBy('application_id')
    .orderBy('position')
    .execute();
  for (const row of rows) byApplication.get(row.application_id)!.push(eventToDomain(row));
  return byApplication;
}

export async function insertObjection(db: Kysely<Database>, objection: Objection): Promise<void> {
  await db.insertInto('application_objections').values(objectionToRow(objection)).execute();
}

export async function saveObjection(db: Kysely<Database>, objection: Objection): Promise<void> {
  const { id: _id, ...changes } = objectionToRow(objection);
  await db.updateTable('application_objections').set(changes).where('id', '=', objection.id).execute();
}

/** Each application's objections, oldest first, for a page of applications at once. */
export async function findObjectionsOf(db: Kysely<Database>, applicationIds: readonly string[]): Promise<Map<string, Objection[]>> {
  const byApplication = new Map<string, Objection[]>(applicationIds.map((id) => [id, []]));
  if (applicationIds.length === 0) return byApplication;
  const rows = await db
    .selectFrom('application_objections')
    .selectAll()
    .where('application_id', 'in', [...applicationIds])
    .orderBy('application_id')
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  for (const row of rows) byApplication.get(row.application_id)!.push(objectionToDomain(row));
  return byApplication;
}

export async function findObjections(db: Kysely<Database>, applicationId: string): Promise<Objection[]> {
  return (await findObjectionsOf(db, [applicationId])).get(applicationId)!;
}

/** Who may list which applications: a region range (issuers, auditors) or one enterprise. */
export type ApplicationScope = { regions: { from: string; to: string } } | { enterpriseUscc: string };

/** A page of applications in (submitted_at, id) order after `after`, one row past `limit` when more follow. */
export async function listApplications(
  db: Kysely<Database>,
  scope: ApplicationScope,
  filter: { programId?: string | undefined; status?: ApplicationStatus | undefined },
  after: [string, string] | undefined,
  limit: number,
): Promise<Application[]> {
  let query = db.selectFrom('applications').selectAll();
  query =
    'enterpriseUscc' in scope
      ? query.where('enterprise_uscc', '=', scope.enterpriseUscc)
      : query.where('region', '>=', scope.regions.from).where('region', '<=', scope.regions.to);
  if (filter.programId !== undefined) query = query.where('program_id', '=', filter.programId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (after) query = query.where((eb) => eb.or([eb('submitted_at', '>', after[0]), eb.and([eb('submitted_at', '=', after[0]), eb('id', '>', after[1])])]));
  const rows = await query
    .orderBy('submitted_at')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const documents = await documentsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => applicationToDomain(row, documents.get(row.id)!));
}

/** An application on public notice, with what the notice shows of its program. */
export interface NoticeListing {
  application: Application;
  programName: string;
  contact: NoticeContact;
}

/**
 * Applications whose notice was opened and that were not rejected since (approved, on hold, granted), newest
 * notice first, in a region range and optionally one program; one row past `limit` when more follow.
 */
export async function listNotices(
  db: Kysely<Database>,
  regions: { from: string; to: string },
  programId: string | undefined,
  after: [string, string] | undefined,
  limit: number,
): Promise<NoticeListing[]> {
  let query = db
    .selectFrom('applications as a')
    .innerJoin('programs as p', 'p.id', 'a.program_id')
    .selectAll('a')
    .select(['p.name as program_name', 'p.notice_contact_office', 'p.notice_contact_telephone'])
    .where('a.notice_starts_on', 'is not', null)
    .where('a.status', 'in', ['approved', 'on_hold', 'granted'])
    .where('a.region', '>=', regions.from)
    .where('a.region', '<=', regions.to);
  if (programId !== undefined) query = query.where('a.program_id', '=', programId);
  if (after)
    query = query.where((eb) => eb.or([eb('a.notice_starts_on', '<', after[0]), eb.and([eb('a.notice_starts_on', '=', after[0]), eb('a.id', '<', after[1])])]));
  const rows = await query
    .orderBy('a.notice_starts_on', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit + 1)
    .execute();
  return rows.map(({ program_name, notice_contact_office, notice_contact_telephone, ...row }) => ({
    // A notice lists no documents: they are not public.
    application: applicationToDomain(row, []),
    programName: program_name,
    contact: { office: notice_contact_office!, telephone: notice_contact_telephone! },
  }));
}
