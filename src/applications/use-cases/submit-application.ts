// An enterprise applies for a voucher from a program that takes applications, with its documents; after a
// return, it corrects and resubmits the same application (a new revision), and review starts again.
import { assertNotListed } from '../../oversight/oversight.guards.js';
import { assertProgramOpen } from '../../programs/rules/close.js';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { citeDocuments, uploadedBy } from '../../documents/documents.repository.js';
import { findProgramById } from '../../programs/programs.repository.js';
import type { ApplicationTerms, Program } from '../../programs/programs.model.js';
import { shanghaiDate } from '../../shared/dates.js';
import { DomainError } from '../../shared/errors.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { applicationSubmittedEntry } from '../applications.entries.js';
import type { Application, Declarations } from '../applications.model.js';
import { findLiveApplication, insertApplication, saveApplication } from '../applications.repository.js';
import type { ApplicationBody } from '../applications.schemas.js';
import { assertDeclared, assertResubmittable, assertWindowOpen } from '../rules/lifecycle.js';
import { applicationViewOf, loadApplication, recordDecision } from './application-access.js';
import type { ApplicationDeps, Enterprise } from './dependencies.js';

const declarationsOf = (input: ApplicationBody): Declarations => ({
  noRelatedPartyContracts: input.declarations.noRelatedPartyContracts === true,
  noOtherPublicFunding: input.declarations.noOtherPublicFunding === true,
  noDishonestyRecord: input.declarations.noDishonestyRecord === true,
});

/** The program, when it takes applications. */
async function applicationProgram(trx: Kysely<Database>, programId: string): Promise<Program & { applications: ApplicationTerms }> {
  const program = await findProgramById(trx, programId);
  if (!program) throw DomainError.notFound('program', 'programId');
  if (!program.applications)
    throw new DomainError('issuance_direct', `program ${program.id} issues vouchers directly and takes no applications`, { field: 'programId' });
  return program as Program & { applications: ApplicationTerms };
}

/**
 * Every listed document was uploaded by the enterprise itself; the first that was not is named. Citing a
 * document lets every reader of the application read it, so only the enterprise's own uploads may be cited.
 */
async function assertOwnDocuments(trx: Kysely<Database>, documents: readonly string[], actor: Enterprise): Promise<void> {
  const own = await uploadedBy(trx, documents, { role: actor.role, scope: actor.org });
  const index = documents.findIndex((sha256) => !own.has(sha256));
  if (index >= 0)
    throw new DomainError('unknown_document', `document ${documents[index]} is not one this enterprise uploaded (POST /v1/documents)`, {
      field: `documents[${index}]`,
    });
}

export async function submitApplication(deps: ApplicationDeps, input: ApplicationBody, ctx: CommandContext<Enterprise>) {
  const declarations = declarationsOf(input);
  assertDeclared(declarations);
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    execute: async (trx) => {
      // One instant for the window check and the entry: a submission at midnight is judged by the day it is recorded on.
      const now = deps.clock.now();
      const program = await applicationProgram(trx, input.programId);
      assertProgramOpen(program);
      assertWindowOpen(program.applications, shanghaiDate(now));
      // A 失信 listing bars the application, whatever the enterprise declared (decision 0042).
      await assertNotListed(trx, 'enterprise', ctx.actor.org, program.region);
      await assertOwnDocuments(trx, input.documents, ctx.actor);
      const live = await findLiveApplication(trx, program.id, ctx.actor.org);
      if (live)
        throw new DomainError('duplicate_application', `this enterprise already has application ${live.id} (${live.status}) in program ${program.id}`, {
          field: 'programId',
        });
      const application: Application = {
        id: `app_${randomUUID()}`,
        programId: program.id,
        region: program.region,
        kind: program.kind,
        enterprise: { uscc: ctx.actor.org, name: input.enterpriseName },
        amount: input.amount,
        approvedAmount: null,
        purpose: input.purpose,
        declarations,
        documents: [...input.documents],
        status: 'submitted',
        revision: 1,
        firstReviewer: null,
        finalReviewer: null,
        notice: null,
        voucherId: null,
        submittedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      await insertApplication(trx, application);
      await citeDocuments(trx, application.documents, { kind: 'application', id: application.id, region: application.region, org: ctx.actor.org });
      await recordDecision(deps, trx, application, applicationSubmittedEntry(application, ctx.actor), 'submitted', now);
      return applicationViewOf(trx, application);
    },
  });
}

export async function resubmitApplication(deps: ApplicationDeps, id: string, input: ApplicationBody, ctx: CommandContext<Enterprise>) {
  const declarations = declarationsOf(input);
  assertDeclared(declarations);
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => loadApplication(trx, id, ctx.actor),
    execute: async (trx, current) => {
      assertResubmittable(current);
      if (input.programId !== current.programId)
        throw DomainError.validation([{ field: 'programId', message: `must be the application's program ${current.programId}` }]);
      // A resubmission is a submission: a closed program or a listing refuses it as they refuse the first (decision 0042).
      const program = (await findProgramById(trx, current.programId))!;
      assertProgramOpen(program);
      await assertNotListed(trx, 'enterprise', current.enterprise.uscc, program.region);
      await assertOwnDocuments(trx, input.documents, ctx.actor);
      const now = deps.clock.now();
      const application: Application = {
        ...current,
        enterprise: { uscc: current.enterprise.uscc, name: input.enterpriseName },
        amount: input.amount,
        purpose: input.purpose,
        declarations,
        documents: [...input.documents],
        status: 'submitted',
        revision: current.revision + 1,
        updatedAt: now.toISOString(),
      };
      await saveApplication(trx, application, true);
      await citeDocuments(trx, application.documents, { kind: 'application', id: application.id, region: application.region, org: ctx.actor.org });
      await recordDecision(deps, trx, application, applicationSubmittedEntry(application, ctx.actor), 'resubmitted', now);
      return applicationViewOf(trx, application);
    },
  });
}
