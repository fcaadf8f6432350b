import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, ActorOf } from '../auth/actor.js';
import { assertRegionAccess } from '../auth/auth.middleware.js';
import type { Database, ProgramRow } from '../db/schema.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type { Deps } from '../deps.js';
import { DomainError, ruleError } from '../shared/errors.js';
import { accountBalance } from '../ledger/ledger.repository.js';
import { accounts, transfer } from '../ledger/ledger.types.js';
import { appendEntry } from '../ledger/ledger.writer.js';
import type { Policy } from '../rules/policy.js';
import { type ProgramLimits, resolveProgramLimits } from '../rules/program-limits.js';
import { formatFen } from '../shared/money.js';
import { covers } from '../shared/region.js';
import type { CreateProgramInput, ProgramView } from './programs.schemas.js';
import { findProgram, insertProgram } from './programs.repository.js';

export const limitsOf = (program: ProgramRow): ProgramLimits =>
  Object.fromEntries(
    Object.entries(JSON.parse(program.limits) as Record<string, { rate: string; annualCap: string | null }>).map(([bucket, limit]) => [
      bucket,
      { rate: limit.rate, annualCap: limit.annualCap === null ? null : BigInt(limit.annualCap) },
    ]),
  );

const limitsView = (limits: ProgramLimits) =>
  Object.fromEntries(Object.entries(limits).map(([bucket, limit]) => [bucket, { rate: limit.rate, annualCap: limit.annualCap === null ? null : formatFen(limit.annualCap) }]));

export async function programView(db: Kysely<Database>, program: ProgramRow): Promise<ProgramView> {
  return {
    id: program.id,
    name: program.name,
    kind: program.kind,
    region: program.region,
    policyId: program.policy_id,
    budget: formatFen(program.budget_fen),
    available: formatFen(await accountBalance(db, accounts.program(program.id))),
    limits: limitsView(limitsOf(program)),
  };
}

export function policyOf(deps: Deps, policyId: string): Policy {
  const policy = deps.policies.get(policyId);
  if (!policy) throw new Error(`policy ${policyId} is referenced but not loaded`);
  return policy;
}

export function createProgramService(deps: Deps) {
  return {
    async create(input: CreateProgramInput, ctx: CommandContext<ActorOf<'issuer'>>) {
      const policy = deps.policies.get(input.policyId);
      if (!policy) throw DomainError.validation([{ field: 'policyId', message: `unknown policy; known: ${deps.policies.ids().join(', ')}` }]);
      if (!covers(policy.jurisdiction, ctx.actor.region))
        throw new DomainError('outside_jurisdiction', `policy ${policy.id} applies within region ${policy.jurisdiction}, not ${ctx.actor.region}`);
      const resolved = resolveProgramLimits(policy, input.kind, input.limits);
      if (!resolved.ok && 'unknownBucket' in resolved)
        throw DomainError.validation([{ field: `limits.${resolved.unknownBucket}`, message: `is not a cap bucket of a ${input.kind} program` }]);
      if (!resolved.ok) throw ruleError(resolved.violation);

      return deps.unitOfWork.run({ status: 201, context: ctx, execute: async (trx) => {
        const now = deps.clock.now();
        const program: ProgramRow = {
          id: `prg_${randomUUID()}`,
          name: input.name,
          kind: input.kind,
          region: ctx.actor.region,
          policy_id: policy.id,
          budget_fen: input.budget,
          limits: JSON.stringify(
            Object.fromEntries(Object.entries(resolved.limits).map(([b, l]) => [b, { rate: l.rate, annualCap: l.annualCap?.toString() ?? null }])),
          ),
          created_at: now.toISOString(),
          created_by: ctx.actor.sub,
        };
        await insertProgram(trx, program);
        await appendEntry(
          trx,
          {
            type: 'program.funded',
            actor: ctx.actor,
            data: {
              region: program.region,
              programId: program.id,
              kind: program.kind,
              name: program.name,
              policyId: policy.id,
              policySha256: policy.sha256,
              budget: formatFen(program.budget_fen),
              limits: limitsView(resolved.limits),
            },
            postings: transfer(accounts.appropriation(program.region), accounts.program(program.id), program.budget_fen),
          },
          now,
        );
        return programView(trx, program);
      } });
    },

    async get(id: string, actor: Actor): Promise<ProgramView> {
      const program = await findProgram(deps.db, id);
      if (!program) throw DomainError.notFound('program');
      assertRegionAccess(actor, program.region);
      return programView(deps.db, program);
    },
  };
}
