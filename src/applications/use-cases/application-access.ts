// Loading an application for the one acting on it, and answering with its whole view: shared by the use cases.
import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import { assertRegionAccess } from '../../auth/auth.middleware.js';
import type { Database } from '../../db/schema.js';
import { findDocuments } from '../../documents/documents.repository.js';
import type { EntryDraft } from '../../ledger/ledger.types.js';
import type { Program } from '../../programs/programs.model.js';
import { findProgramById } from '../../programs/programs.repository.js';
import { DomainError } from '../../shared/errors.js';
import type { Application, ApplicationEvent } from '../applications.model.js';
import { appendEvent, findApplication, findEventsOf, findObjectionsOf } from '../applications.repository.js';
import type { ApplicationView } from '../applications.schemas.js';
import { applicationView } from '../applications.views.js';
import type { ApplicationDeps, Reader } from './dependencies.js';

/** Whether the actor may read the application: its enterprise, an issuer of its region, an auditor covering it. */
export function assertMayRead(actor: Actor, application: Application): void {
  // An enterprise is told nothing of another enterprise's applications, not even that they exist.
  if (actor.role === 'enterprise') {
    if (actor.org !== application.enterprise.uscc) throw DomainError.notFound('application');
    return;
  }
  assertRegionAccess(actor, application.region);
}

/** The application, for an actor who may read it (an issuer acting on it: one of its region). */
export async function loadApplication(db: Kysely<Database>, id: string, actor: Reader): Promise<Application> {
  const application = await findApplication(db, id);
  if (!application) throw DomainError.notFound('application');
  assertMayRead(actor, application);
  return application;
}

/** Applications as the API answers them, each with its program's name and contact, documents, objections and history: a few queries for the lot. */
export async function applicationViewsOf(db: Kysely<Database>, applications: readonly Application[]): Promise<ApplicationView[]> {
  const ids = applications.map((application) => application.id);
  const programIds = [...new Set(applications.map((application) => application.programId))];
  // One connection at a time: PostgreSQL's transaction (and SQLite's) serves one query at once.
  const programs = new Map<string, Program | undefined>();
  for (const programId of programIds) programs.set(programId, await findProgramById(db, programId));
  const documents = await findDocuments(db, [...new Set(applications.flatMap((application) => application.documents))]);
  const objections = await findObjectionsOf(db, ids);
  const history = await findEventsOf(db, ids);
  return applications.map((application) => {
    const program = programs.get(application.programId);
    return applicationView(application, {
      programName: program?.name ?? application.programId,
      contact: program?.applications?.contact ?? null,
      documents,
      objections: objections.get(application.id)!,
      history: history.get(application.id)!,
    });
  });
}

export const applicationViewOf = async (db: Kysely<Database>, application: Application): Promise<ApplicationView> =>
  (await applicationViewsOf(db, [application]))[0]!;

type EventDetails = Partial<Pick<ApplicationEvent, 'stage' | 'decision' | 'amount' | 'reason' | 'objectionId' | 'outcome'>>;

/** Appends the decision's entry, then notes it in the application's history with the entry's seq. */
export async function recordDecision(
  deps: Pick<ApplicationDeps, 'ledger'>,
  trx: Kysely<Database>,
  application: Application,
  draft: EntryDraft,
  action: ApplicationEvent['action'],
  now: Date,
  details: EventDetails = {},
): Promise<void> {
  const entry = await deps.ledger.append(trx, draft, now);
  await appendEvent(trx, application.id, {
    at: now.toISOString(),
    by: { role: draft.actor.role, sub: draft.actor.sub },
    action,
    revision: application.revision,
    stage: details.stage ?? null,
    decision: details.decision ?? null,
    amount: details.amount ?? null,
    reason: details.reason ?? null,
    objectionId: details.objectionId ?? null,
    outcome: details.outcome ?? null,
    ledgerSeq: entry.seq,
  });
}
