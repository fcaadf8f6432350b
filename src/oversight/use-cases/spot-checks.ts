// Spot checks (decision 0042): an issuer of the program's region or an auditor covering it draws a reproducible
// sample of the program's approved redemptions, then records a result for each drawn one.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { assertRegionAccess } from '../../auth/auth.middleware.js';
import type { Database } from '../../db/schema.js';
import { findProgramById } from '../../programs/programs.repository.js';
import { shanghaiDate } from '../../shared/dates.js';
import { DomainError } from '../../shared/errors.js';
import { decodeCursor, type Page, pageOf } from '../../shared/pagination.js';
import { coveredRange } from '../../shared/region.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { spotCheckDrawnEntry, spotCheckResultEntry } from '../oversight.entries.js';
import type { SpotCheck, SpotCheckItem } from '../oversight.model.js';
import { approvedRedemptionIdsOfProgram, findSpotCheck, insertSpotCheck, listSpotChecks, recordSpotCheckResult } from '../oversight.repository.js';
import type { DrawSpotCheckInput, ListSpotChecksQuery, SpotCheckResultInput, SpotCheckView } from '../oversight.schemas.js';
import { spotCheckView } from '../oversight.views.js';
import { drawSample } from '../rules/sample.js';
import type { Checker, OversightDeps } from './dependencies.js';

async function checkersProgram(db: Kysely<Database>, id: string, actor: Checker) {
  const program = await findProgramById(db, id);
  if (!program) throw DomainError.notFound('program');
  assertRegionAccess(actor, program.region);
  return program;
}

async function checkersSpotCheck(db: Kysely<Database>, id: string, actor: Checker): Promise<SpotCheck> {
  const check = await findSpotCheck(db, id);
  if (!check) throw DomainError.notFound('spot check');
  assertRegionAccess(actor, check.region);
  return check;
}

export async function drawSpotCheck(deps: OversightDeps, programId: string, input: DrawSpotCheckInput, ctx: CommandContext<Checker>) {
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    authorize: (trx) => checkersProgram(trx, programId, ctx.actor),
    execute: async (trx, program): Promise<SpotCheckView> => {
      const population = await approvedRedemptionIdsOfProgram(trx, program.id);
      if (population.length === 0) throw new DomainError('nothing_to_sample', `program ${program.id} has no approved redemption to sample`);
      const now = deps.clock.now();
      const draft: Omit<SpotCheck, 'ledgerSeq'> = {
        id: `spc_${randomUUID()}`,
        programId: program.id,
        region: program.region,
        seed: input.seed,
        rate: input.rate,
        population: population.length,
        drawnOn: shanghaiDate(now),
        drawnAt: now.toISOString(),
        drawnByRole: ctx.actor.role,
        drawnBy: ctx.actor.sub,
        items: drawSample(input.seed, input.rate, population).map((redemptionId): SpotCheckItem => ({ redemptionId, result: null })),
      };
      const entry = await deps.ledger.append(trx, spotCheckDrawnEntry(program, draft, ctx.actor), now);
      const check: SpotCheck = { ...draft, ledgerSeq: entry.seq };
      await insertSpotCheck(trx, check);
      return spotCheckView(check);
    },
  });
}

export async function recordResult(deps: OversightDeps, id: string, input: SpotCheckResultInput, ctx: CommandContext<Checker>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => checkersSpotCheck(trx, id, ctx.actor),
    execute: async (trx, check): Promise<SpotCheckView> => {
      const index = check.items.findIndex((item) => item.redemptionId === input.redemptionId);
      const drawn = check.items[index];
      if (!drawn) throw DomainError.validation([{ field: 'redemptionId', message: `was not drawn in spot check ${check.id}` }]);
      if (drawn.result)
        throw new DomainError(
          'result_recorded',
          `the result of ${input.redemptionId} in spot check ${check.id} is already recorded (${drawn.result.outcome})`,
          {
            field: 'redemptionId',
          },
        );
      const program = (await findProgramById(trx, check.programId))!;
      const now = deps.clock.now();
      const entry = await deps.ledger.append(trx, spotCheckResultEntry(program, { spotCheckId: check.id, ...input }, ctx.actor), now);
      const item: SpotCheckItem = {
        redemptionId: input.redemptionId,
        result: { outcome: input.outcome, reason: input.reason, at: now.toISOString(), byRole: ctx.actor.role, by: ctx.actor.sub, seq: entry.seq },
      };
      await recordSpotCheckResult(trx, check.id, item);
      return spotCheckView({ ...check, items: check.items.map((existing, i) => (i === index ? item : existing)) });
    },
  });
}

export async function readSpotCheck(deps: Pick<OversightDeps, 'db'>, id: string, actor: Checker): Promise<SpotCheckView> {
  return spotCheckView(await checkersSpotCheck(deps.db, id, actor));
}

export async function readSpotChecks(deps: Pick<OversightDeps, 'db'>, query: ListSpotChecksQuery, actor: Checker): Promise<Page<SpotCheckView>> {
  if (query.programId !== undefined) await checkersProgram(deps.db, query.programId, actor);
  const after = decodeCursor<[number]>('spot-checks', query.cursor, 1);
  const regions = actor.role === 'issuer' ? { from: actor.region, to: actor.region } : coveredRange(actor.region);
  const rows = await listSpotChecks(deps.db, regions, query, after?.[0], query.limit + 1);
  return pageOf(
    rows,
    query.limit,
    'spot-checks',
    (check) => [check.ledgerSeq],
    async (kept) => kept.map(spotCheckView),
  );
}
