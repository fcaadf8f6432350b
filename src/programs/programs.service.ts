import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Kysely } from 'kysely';
import type { Actor, ActorOf } from '../auth/actor.js';
import { assertRegionAccess } from '../auth/auth.middleware.js';
import type { Database, ProgramRow } from '../db/schema.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type { Deps } from '../deps.js';
import { DomainError, type FieldError, ruleError } from '../shared/errors.js';
import { accountBalance, ledgerHead } from '../ledger/ledger.repository.js';
import { accounts, type PostingDraft, transfer } from '../ledger/ledger.types.js';
import { type ProgramLimits, resolveProgramLimits } from '../rules/program-limits.js';
import { type Funder, splitByRatio } from '../rules/split.js';
import { type Fen, formatFen, minFen } from '../shared/money.js';
import { shanghaiDate } from '../shared/dates.js';
import { coveredRange, covers } from '../shared/region.js';
import { decodeCursor, type Page, pageOf } from '../shared/pagination.js';
import type {
  BudgetChangeInput,
  BudgetChangeView,
  BudgetShareView,
  CreateProgramInput,
  FunderView,
  ListProgramsQuery,
  ProgramBalances,
  ProgramBalancesView,
  ProgramView,
} from './programs.schemas.js';
import {
  adjustFunder,
  findFunderStates,
  findProgram,
  findProgramsAwaiting,
  type FunderState,
  type HourlyMovement,
  insertFunders,
  insertProgram,
  isProgramFunder,
  limitsOf,
  listPrograms,
  type ProgramAccountKind,
  programEntryCounts,
  programMovementsByHour,
} from './programs.repository.js';

const limitsView = (limits: ProgramLimits) =>
  Object.fromEntries(Object.entries(limits).map(([bucket, limit]) => [bucket, { rate: limit.rate, annualCap: limit.annualCap === null ? null : formatFen(limit.annualCap) }]));

const funderView = (f: FunderState): FunderView => ({
  region: f.region,
  ratio: f.ratio,
  amount: formatFen(f.confirmed + f.pending),
  confirmed: formatFen(f.confirmed),
  pending: formatFen(f.pending),
  status: f.pending > 0n ? 'pending' : 'confirmed',
});

export async function programView(db: Kysely<Database>, program: ProgramRow): Promise<ProgramView> {
  const funders = await findFunderStates(db, program.id);
  return {
    id: program.id,
    name: program.name,
    kind: program.kind,
    region: program.region,
    policyId: program.policy_id,
    // The current budget: every funder's share, confirmed or not, after budget changes.
    budget: formatFen(funders.reduce((sum, f) => sum + f.confirmed + f.pending, 0n)),
    available: formatFen(await accountBalance(db, accounts.program(program.id))),
    limits: limitsView(limitsOf(program)),
    requireRegisteredProviders: program.require_registered_providers,
    funding: funders.map(funderView),
  };
}

/**
 * The funding rules the schema cannot see alone: each funder is the issuer's region or one covering it, listed
 * once, the issuer's own region among them (its share is appropriated at creation), ratios summing to exactly 1.
 */
function fundingErrors(funders: readonly Funder[], issuerRegion: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  funders.forEach((funder, i) => {
    const earlier = seen.get(funder.region);
    if (earlier !== undefined) errors.push({ field: `funding[${i}].region`, message: `lists region ${funder.region} again (already funding[${earlier}])` });
    else seen.set(funder.region, i);
    if (!covers(funder.region, issuerRegion))
      errors.push({ field: `funding[${i}].region`, message: `must be the issuer's region ${issuerRegion} or a region that covers it` });
  });
  if (!seen.has(issuerRegion)) errors.push({ field: 'funding', message: `must include the issuer's own region ${issuerRegion}` });
  const total = funders.reduce((sum, f) => sum.plus(f.ratio), new Decimal(0));
  if (!total.eq(1)) errors.push({ field: 'funding', message: `ratios must sum to exactly 1; they sum to ${total.toString()}` });
  return errors;
}

/** At most this many programs in one answer: a region co-funds few programs at a time. */
const AWAITING_LIMIT = 500;

/** Running totals per kind of account, read at the end of each Asia/Shanghai day that had movements. */
export function balancesOverTime(movements: readonly HourlyMovement[]): Pick<ProgramBalancesView, 'current' | 'daily'> {
  const totals = new Map<ProgramAccountKind, Fen>();
  const position = (): ProgramBalances => {
    const total = (kind: ProgramAccountKind) => totals.get(kind) ?? 0n;
    return {
      funded: formatFen(-total('appropriation')),
      available: formatFen(total('program')),
      onVouchers: formatFen(total('voucher')),
      owedToProviders: formatFen(total('payable')),
      paid: formatFen(total('disbursed')),
    };
  };
  const daily: ProgramBalancesView['daily'] = [];
  movements.forEach((movement, i) => {
    totals.set(movement.accountKind, (totals.get(movement.accountKind) ?? 0n) + movement.amount);
    const day = shanghaiDate(new Date(`${movement.hour}:00:00Z`));
    const next = movements[i + 1];
    if (!next || shanghaiDate(new Date(`${next.hour}:00:00Z`)) !== day) daily.push({ date: day, ...position() });
  });
  return { current: position(), daily };
}

export function createProgramService(deps: Deps) {
  /** A program the actor may read: an issuer of its region or of a co-funding region, an auditor covering it. */
  async function readableProgram(id: string, actor: Actor): Promise<ProgramRow> {
    const program = await findProgram(deps.db, id);
    if (!program) throw DomainError.notFound('program');
    // Issuers of a co-funding region read the program they fund (they must, to confirm their share).
    const funds = actor.role === 'issuer' && actor.region !== program.region && (await isProgramFunder(deps.db, program.id, actor.region));
    if (!funds) assertRegionAccess(actor, program.region);
    return program;
  }

  /** The program an issuer changes the budget of, in its own region. */
  async function ownProgram(trx: Kysely<Database>, id: string, actor: Actor): Promise<ProgramRow> {
    const program = await findProgram(trx, id);
    if (!program) throw DomainError.notFound('program');
    assertRegionAccess(actor, program.region);
    return program;
  }

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
      const funders: Funder[] = (input.funding ?? [{ region: ctx.actor.region, ratio: '1' }]).map((f) => ({ region: f.region, ratio: new Decimal(f.ratio).toString() }));
      const invalid = fundingErrors(funders, ctx.actor.region);
      if (invalid.length > 0) throw DomainError.validation(invalid);

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
          require_registered_providers: input.requireRegisteredProviders,
        };
        // The issuer's own share is appropriated now; every other funder's awaits that region's confirmation.
        const states: FunderState[] = splitByRatio(program.budget_fen, funders).map((share, i) => {
          const own = share.region === program.region;
          return { region: share.region, ratio: funders[i]!.ratio, confirmed: own ? share.amount : 0n, pending: own ? 0n : share.amount };
        });
        const ownShare = states.find((s) => s.region === program.region)!.confirmed;
        await insertProgram(trx, program);
        await insertFunders(trx, program.id, states);
        await deps.ledger.append(
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
              requireRegisteredProviders: program.require_registered_providers,
              funding: states.map((s) => ({ region: s.region, ratio: s.ratio, amount: formatFen(s.confirmed + s.pending), status: s.region === program.region ? 'confirmed' : 'pending' })),
            },
            postings: transfer(accounts.appropriation(program.region), accounts.program(program.id), ownShare),
          },
          now,
        );
        return programView(trx, program);
      } });
    },

    async get(id: string, actor: Actor): Promise<ProgramView> {
      return programView(deps.db, await readableProgram(id, actor));
    },

    /** Where the program's money is, now and at the end of each day it moved, summed from the ledger's postings. */
    async balances(id: string, actor: Actor): Promise<ProgramBalancesView> {
      const program = await readableProgram(id, actor);
      // The ledger is append-only: everything up to the head read first is a consistent snapshot.
      const head = (await ledgerHead(deps.db)).seq;
      const [movements, entryCounts] = await Promise.all([programMovementsByHour(deps.db, program.id, head), programEntryCounts(deps.db, program.id, head)]);
      return { programId: program.id, throughSeq: Number(head), entryCounts, ...balancesOverTime(movements) };
    },

    /** A page of the programs an issuer's region funds (its own and those it co-funds), or those an auditor covers. */
    async list(query: ListProgramsQuery, actor: ActorOf<'issuer' | 'auditor'>): Promise<Page<ProgramView>> {
      const after = decodeCursor<[string, string]>('programs', query.cursor, 2);
      const scope = actor.role === 'issuer' ? { fundedBy: actor.region } : { regions: coveredRange(actor.region) };
      const rows = await listPrograms(deps.db, scope, { kind: query.kind }, after, query.limit);
      return pageOf(rows, query.limit, 'programs', (row) => [row.created_at, row.id], (kept) => Promise.all(kept.map((row) => programView(deps.db, row))));
    },

    /** What an issuer's region still has to confirm: the programs it co-funds and owes money to. */
    async awaitingConfirmation(actor: ActorOf<'issuer'>): Promise<{ region: string; programs: ProgramView[] }> {
      const programs = await findProgramsAwaiting(deps.db, actor.region, AWAITING_LIMIT);
      return { region: actor.region, programs: await Promise.all(programs.map((program) => programView(deps.db, program))) };
    },

    /** A funder region's issuer appropriates everything it owes the program, in one program.funded entry. */
    async confirmFunding(id: string, region: string, ctx: CommandContext<ActorOf<'issuer'>>) {
      return deps.unitOfWork.run({
        status: 200,
        context: ctx,
        authorize: async (trx) => {
          const program = await findProgram(trx, id);
          if (!program) throw DomainError.notFound('program');
          if (ctx.actor.region !== region) throw DomainError.forbidden(`only an issuer of region ${region} may confirm region ${region}'s share`);
          const funder = (await findFunderStates(trx, program.id)).find((f) => f.region === region);
          if (!funder) throw DomainError.notFound(`funder ${region} of program ${program.id}`, 'region');
          return { program, funder };
        },
        execute: async (trx, { program, funder }) => {
          if (funder.pending === 0n)
            throw new DomainError('nothing_to_confirm', `region ${region} owes program ${program.id} nothing pending: its share is confirmed`);
          await deps.ledger.append(
            trx,
            {
              type: 'program.funded',
              actor: ctx.actor,
              data: { region: program.region, programId: program.id, kind: program.kind, funder: region, amount: formatFen(funder.pending) },
              postings: transfer(accounts.appropriation(region), accounts.program(program.id), funder.pending),
            },
            deps.clock.now(),
          );
          await adjustFunder(trx, program.id, region, { confirmed: funder.pending, pending: -funder.pending });
          return programView(trx, program);
        },
      });
    },

    /**
     * An increase is split by ratio: the issuer's share posted at once, the others pending. A decrease is split
     * by ratio too; each funder's part first cancels what it still owes, and the rest is returned to it.
     */
    async changeBudget(id: string, input: BudgetChangeInput, ctx: CommandContext<ActorOf<'issuer'>>) {
      return deps.unitOfWork.run({
        status: 201,
        context: ctx,
        authorize: (trx) => ownProgram(trx, id, ctx.actor),
        execute: async (trx, program): Promise<BudgetChangeView> => {
          const funders = await findFunderStates(trx, program.id);
          const available = await accountBalance(trx, accounts.program(program.id));
          const split = splitByRatio(input.amount, funders);
          let shares: BudgetShareView[];
          let postings: PostingDraft[];
          const deltas: { region: string; confirmed: Fen; pending: Fen }[] = [];
          if (input.direction === 'increase') {
            shares = split.map((share, i) => ({ region: share.region, ratio: funders[i]!.ratio, amount: formatFen(share.amount), status: share.region === program.region ? 'confirmed' : 'pending' }));
            for (const share of split)
              deltas.push(share.region === program.region ? { region: share.region, confirmed: share.amount, pending: 0n } : { region: share.region, confirmed: 0n, pending: share.amount });
            const own = split.find((s) => s.region === program.region)!.amount;
            postings = transfer(accounts.appropriation(program.region), accounts.program(program.id), own);
          } else {
            if (input.amount > available)
              throw new DomainError('insufficient_budget', `the program has ${formatFen(available)} available, less than the decrease of ${formatFen(input.amount)}`);
            const parts = split.map((share, i) => {
              const cancelled = minFen(share.amount, funders[i]!.pending);
              return { ...share, ratio: funders[i]!.ratio, pendingBefore: funders[i]!.pending, cancelled, returned: share.amount - cancelled };
            });
            shares = parts.map((p) => ({ region: p.region, ratio: p.ratio, amount: formatFen(p.amount), pendingBefore: formatFen(p.pendingBefore), cancelled: formatFen(p.cancelled), returned: formatFen(p.returned) }));
            for (const p of parts) deltas.push({ region: p.region, confirmed: -p.returned, pending: -p.cancelled });
            postings = [
              { account: accounts.program(program.id), amount: -parts.reduce((sum, p) => sum + p.returned, 0n) },
              ...parts.map((p) => ({ account: accounts.appropriation(p.region), amount: p.returned })),
            ];
          }
          const entry = await deps.ledger.append(
            trx,
            {
              type: 'program.budget_changed',
              actor: ctx.actor,
              data: {
                region: program.region,
                programId: program.id,
                kind: program.kind,
                direction: input.direction,
                amount: formatFen(input.amount),
                reason: input.reason,
                availableBefore: formatFen(available),
                shares,
              },
              postings,
            },
            deps.clock.now(),
          );
          for (const delta of deltas) await adjustFunder(trx, program.id, delta.region, delta);
          return { programId: program.id, direction: input.direction, amount: formatFen(input.amount), reason: input.reason, shares, ledgerSeq: entry.seq, program: await programView(trx, program) };
        },
      });
    },
  };
}
