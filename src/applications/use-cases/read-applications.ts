// Reading applications (an issuer's region's, an auditor's covered regions', an enterprise's own) and the public
// notices anyone may read without a token.
import type { Clock } from '../../shared/clock.js';
import { todayIn } from '../../shared/clock.js';
import { decodeCursor, type Page, pageOf } from '../../shared/pagination.js';
import { coveredRange } from '../../shared/region.js';
import type { Db } from '../../db/database.js';
import { type ApplicationScope, listApplications, listNotices } from '../applications.repository.js';
import { listPrograms } from '../../programs/programs.repository.js';
import type {
  ApplicationView,
  CallForApplicationsView,
  ListApplicationsQuery,
  ListNoticesQuery,
  ListOpenProgramsQuery,
  PublicNoticeView,
} from '../applications.schemas.js';
import { callForApplicationsView, publicNoticeView } from '../applications.views.js';
import { applicationViewOf, applicationViewsOf, loadApplication } from './application-access.js';
import type { Reader } from './dependencies.js';

export async function getApplication(db: Db, id: string, actor: Reader): Promise<ApplicationView> {
  return applicationViewOf(db, await loadApplication(db, id, actor));
}

const scopeOf = (actor: Reader): ApplicationScope =>
  actor.role === 'enterprise'
    ? { enterpriseUscc: actor.org }
    : { regions: actor.role === 'issuer' ? { from: actor.region, to: actor.region } : coveredRange(actor.region) };

/** Oldest first, by program and status; each with its whole history. */
export async function listApplicationViews(db: Db, query: ListApplicationsQuery, actor: Reader): Promise<Page<ApplicationView>> {
  const after = decodeCursor<[string, string]>('applications', query.cursor, 2);
  const applications = await listApplications(db, scopeOf(actor), query, after, query.limit);
  return pageOf(
    applications,
    query.limit,
    'applications',
    (application) => [application.submittedAt, application.id],
    (kept) => applicationViewsOf(db, kept),
  );
}

/** The programs that take applications, oldest first: a call for applications is public, as its notice is. */
export async function listCallsForApplications(db: Db, clock: Clock, query: ListOpenProgramsQuery): Promise<Page<CallForApplicationsView>> {
  const after = decodeCursor<[string, string]>('calls', query.cursor, 2);
  const programs = await listPrograms(db, { regions: coveredRange(query.region ?? '330000') }, { issuance: 'application' }, after, query.limit);
  const today = todayIn(clock);
  return pageOf(
    programs,
    query.limit,
    'calls',
    (program) => [program.createdAt, program.id],
    async (kept) =>
      kept.flatMap((program) => (program.applications ? [callForApplicationsView({ ...program, applications: program.applications }, today)] : [])),
  );
}

/** Every notice opened and not withdrawn by an upheld objection, newest first; Zhejiang's when no region is asked for. */
export async function listPublicNotices(db: Db, clock: Clock, query: ListNoticesQuery): Promise<Page<PublicNoticeView>> {
  const after = decodeCursor<[string, string]>('notices', query.cursor, 2);
  const regions = coveredRange(query.region ?? '330000');
  const listings = await listNotices(db, regions, query.programId, after, query.limit);
  const today = todayIn(clock);
  return pageOf(
    listings,
    query.limit,
    'notices',
    (listing) => [listing.application.notice!.startsOn, listing.application.id],
    async (kept) => kept.map((listing) => publicNoticeView(listing, today)),
  );
}
