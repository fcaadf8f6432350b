// An issuer creates a program in its region under a policy, with its terms and its funders (decision 0017).
import { randomUUID } from 'node:crypto';
import type { Policy } from '../../rules/policy.js';
import type { PolicyRegistry } from '../../rules/policy-loader.js';
import { type ProgramLimits, resolveProgramLimits } from '../../rules/program-limits.js';
import type { Funder } from '../../rules/split.js';
import { DomainError, ruleError } from '../../shared/errors.js';
import { covers } from '../../shared/region.js';
import { todayIn } from '../../shared/clock.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { programCreatedEntry } from '../programs.entries.js';
import type { Program } from '../programs.model.js';
import { insertFunders, insertProgram } from '../programs.repository.js';
import type { CreateProgramInput } from '../programs.schemas.js';
import { fundingErrors, initialFunderStates, listedFunders } from '../rules/funding.js';
import type { Issuer, ProgramDeps } from './dependencies.js';
import { currentProgramView } from './read-programs.js';

/** The policy, the program's limits under it and its funders; refused before any transaction when one is not allowed. */
function programTerms(policies: PolicyRegistry, input: CreateProgramInput, issuerRegion: string): { policy: Policy; limits: ProgramLimits; funders: Funder[] } {
  const policy = policies.get(input.policyId);
  if (!policy) throw DomainError.validation([{ field: 'policyId', message: `unknown policy; known: ${policies.ids().join(', ')}` }]);
  if (!covers(policy.jurisdiction, issuerRegion))
    throw new DomainError('outside_jurisdiction', `policy ${policy.id} applies within region ${policy.jurisdiction}, not ${issuerRegion}`);
  const resolved = resolveProgramLimits(policy, input.kind, input.limits);
  if (!resolved.ok && 'unknownBucket' in resolved)
    throw DomainError.validation([{ field: `limits.${resolved.unknownBucket}`, message: `is not a cap bucket of a ${input.kind} program` }]);
  if (!resolved.ok) throw ruleError(resolved.violation);
  const funders = listedFunders(input.funding, issuerRegion);
  const invalid = fundingErrors(funders, issuerRegion);
  if (invalid.length > 0) throw DomainError.validation(invalid);
  return { policy, limits: resolved.limits, funders };
}

export async function createProgram(deps: ProgramDeps, input: CreateProgramInput, ctx: CommandContext<Issuer>) {
  const { policy, limits, funders } = programTerms(deps.policies, input, ctx.actor.region);
  // A program whose period is already over could take nothing: every voucher would outlive it (decision 0042).
  if (input.closesOn !== undefined && input.closesOn < todayIn(deps.clock))
    throw DomainError.validation([{ field: 'closesOn', message: 'must not be in the past (Asia/Shanghai)' }]);
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    execute: async (trx) => {
      const now = deps.clock.now();
      const program: Program = {
        id: `prg_${randomUUID()}`,
        name: input.name,
        kind: input.kind,
        region: ctx.actor.region,
        policyId: policy.id,
        initialBudget: input.budget,
        limits,
        createdAt: now.toISOString(),
        createdBy: ctx.actor.sub,
        requireRegisteredProviders: input.requireRegisteredProviders,
        applications: input.applications ?? null,
        claims: input.claims,
        period: input.fiscalYear !== undefined && input.closesOn !== undefined ? { fiscalYear: input.fiscalYear, closesOn: input.closesOn } : null,
        closed: null,
      };
      const states = initialFunderStates(program.initialBudget, funders, program.region);
      await insertProgram(trx, program);
      await insertFunders(trx, program.id, states);
      await deps.ledger.append(trx, programCreatedEntry(program, policy, states, ctx.actor), now);
      return currentProgramView(trx, program);
    },
  });
}
