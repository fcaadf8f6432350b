// Objections to a public notice: an issuer records one received (the application goes on hold) and resolves
// it: upheld rejects the application, dismissed returns it to its notice.
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../shared/errors.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { objectionRecordedEntry, objectionResolvedEntry } from '../applications.entries.js';
import type { Application, Objection } from '../applications.model.js';
import { findObjections, insertObjection, saveApplication, saveObjection } from '../applications.repository.js';
import type { ObjectionInput, ResolveObjectionInput } from '../applications.schemas.js';
import { assertObjectionReceivable, decideResolution } from '../rules/lifecycle.js';
import { applicationViewOf, loadApplication, recordDecision } from './application-access.js';
import type { ApplicationDeps, Issuer } from './dependencies.js';

export async function recordObjection(deps: ApplicationDeps, id: string, input: ObjectionInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    authorize: (trx) => loadApplication(trx, id, ctx.actor),
    execute: async (trx, current) => {
      assertObjectionReceivable(current);
      const now = deps.clock.now();
      const objection: Objection = {
        id: `obj_${randomUUID()}`,
        applicationId: current.id,
        summary: input.summary,
        status: 'open',
        receivedAt: now.toISOString(),
        receivedBy: ctx.actor.sub,
        resolvedAt: null,
        resolvedBy: null,
        reason: null,
      };
      const application: Application = { ...current, status: 'on_hold', updatedAt: now.toISOString() };
      await insertObjection(trx, objection);
      await saveApplication(trx, application);
      await recordDecision(deps, trx, application, objectionRecordedEntry(application, objection, ctx.actor), 'objection_recorded', now, {
        objectionId: objection.id,
        reason: objection.summary,
      });
      return applicationViewOf(trx, application);
    },
  });
}

export async function resolveObjection(deps: ApplicationDeps, id: string, objectionId: string, input: ResolveObjectionInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => loadApplication(trx, id, ctx.actor),
    execute: async (trx, current) => {
      const objections = await findObjections(trx, current.id);
      const objection = objections.find((candidate) => candidate.id === objectionId);
      if (!objection) throw DomainError.notFound('objection');
      const status = decideResolution(current, objection, objections, input.outcome);
      const now = deps.clock.now();
      const application: Application = { ...current, status, updatedAt: now.toISOString() };
      const resolved: Objection = { ...objection, status: input.outcome, resolvedAt: now.toISOString(), resolvedBy: ctx.actor.sub, reason: input.reason };
      await saveObjection(trx, resolved);
      await saveApplication(trx, application);
      await recordDecision(
        deps,
        trx,
        application,
        objectionResolvedEntry(application, resolved, input.outcome, input.reason, ctx.actor),
        'objection_resolved',
        now,
        {
          objectionId,
          outcome: input.outcome,
          reason: input.reason,
        },
      );
      return applicationViewOf(trx, application);
    },
  });
}
