// An issuer of the program's region reviews an application at its stage. A final approval opens the public
// notice on the next working day, for the program's number of working days (the Chinese calendar, decision 0040).
import { noticePeriod } from '../../calendar/working-days.js';
import { findProgramById } from '../../programs/programs.repository.js';
import { shanghaiDate } from '../../shared/dates.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { applicationReviewedEntry, noticeOpenedEntry } from '../applications.entries.js';
import type { Application } from '../applications.model.js';
import { saveApplication } from '../applications.repository.js';
import type { ReviewInput } from '../applications.schemas.js';
import { decideReview } from '../rules/lifecycle.js';
import { applicationViewOf, loadApplication, recordDecision } from './application-access.js';
import type { ApplicationDeps, Issuer } from './dependencies.js';

export async function reviewApplication(deps: ApplicationDeps, id: string, review: ReviewInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => loadApplication(trx, id, ctx.actor),
    execute: async (trx, current) => {
      const outcome = decideReview(current, review, ctx.actor.sub);
      const now = deps.clock.now();
      const application: Application = { ...current, ...outcome, updatedAt: now.toISOString() };
      const program = outcome.status === 'approved' ? await findProgramById(trx, current.programId) : undefined;
      if (program?.applications) {
        const decidedOn = shanghaiDate(now);
        const workingDays = program.applications.noticeWorkingDays;
        application.notice = { decidedOn, ...noticePeriod(decidedOn, workingDays), workingDays };
      }
      await saveApplication(trx, application);
      await recordDecision(deps, trx, application, applicationReviewedEntry(application, review, outcome.approvedAmount, ctx.actor), 'reviewed', now, {
        stage: review.stage,
        decision: review.decision,
        amount: outcome.approvedAmount,
        reason: review.reason,
      });
      if (program?.applications)
        await recordDecision(deps, trx, application, noticeOpenedEntry(application, program.applications.contact, ctx.actor), 'notice_opened', now);
      return applicationViewOf(trx, application);
    },
  });
}
