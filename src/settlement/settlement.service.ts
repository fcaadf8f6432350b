import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, ActorOf } from '../auth/actor.js';
import { assertRegionAccess } from '../auth/auth.middleware.js';
import type { Database, ProgramRow } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { accounts, type PostingDraft } from '../ledger/ledger.types.js';
import { inert } from '../ledger/export/spreadsheet.js';
import { findProgram, findProgramFunders } from '../programs/programs.repository.js';
import { findRegistrationCovering } from '../providers/providers.repository.js';
import { type Funder, type Share, splitByRatio } from '../rules/split.js';
import { todayIn } from '../shared/clock.js';
import { shanghaiDate } from '../shared/dates.js';
import { DomainError, fieldPath } from '../shared/errors.js';
import { type Fen, formatFen } from '../shared/money.js';
import { coveredRange } from '../shared/region.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import {
  type BatchRow,
  type ClaimRow,
  claimsOf,
  closeClaims,
  findBatch,
  insertBatch,
  insertRecovery,
  type LineRow,
  linesOf,
  listBatches,
  type RedemptionClaim,
  redemptionClaims,
  updateBatch,
  updateLine,
} from './settlement.repository.js';
import type {
  BatchStatus,
  BatchView,
  BlockedView,
  CancelBatchInput,
  CreateBatchInput,
  LineStatus,
  LineView,
  ListBatchesQuery,
  MarkFailedInput,
  MarkPaidInput,
  ReceivableView,
  ReconcileView,
  RecoveryInput,
  RecoveryView,
  StatementRow,
} from './settlement.schemas.js';

type Db = Kysely<Database>;
type Issuer = ActorOf<'issuer'>;

const sharesView = (shares: Share[]) => shares.map((share) => ({ region: share.region, amount: formatFen(share.amount) }));
const parseShares = (json: string): Share[] => (JSON.parse(json) as { region: string; amount: string }[]).map((s) => ({ region: s.region, amount: BigInt(s.amount) }));
const storedShares = (shares: Share[]) => JSON.stringify(shares.map((s) => ({ region: s.region, amount: s.amount.toString() })));

/** The program's funders in their listed order; a program without co-funders is funded by its own region alone. */
async function fundersOf(db: Db, program: ProgramRow): Promise<Funder[]> {
  const funders = await findProgramFunders(db, program.id);
  return funders.length > 0 ? funders : [{ region: program.region, ratio: '1' }];
}

/** A batch's status follows from its lines once it is approved: pending lines keep it open. */
function statusFromLines(lines: LineStatus[]): BatchStatus {
  const pending = lines.includes('pending');
  const paid = lines.includes('paid');
  if (pending) return paid ? 'partially_paid' : 'approved';
  // Every line settled: paid if any money went out, else nothing is left to pay (all failed).
  return paid ? 'paid' : 'cancelled';
}

function lineView(line: LineRow, claims: ClaimRow[]): LineView {
  return {
    id: line.id,
    providerUscc: line.provider_uscc,
    providerName: line.provider_name,
    bankAccount: { bankName: line.bank_name, accountName: line.account_name, accountNumber: line.account_number },
    amount: formatFen(line.amount_fen),
    shares: sharesView(parseShares(line.shares)),
    redemptionIds: claims.filter((c) => c.line_id === line.id).map((c) => c.redemption_id),
    status: line.status as LineStatus,
    paidOn: line.paid_on,
    bankReference: line.bank_reference,
    failureReason: line.failure_reason,
    ledgerSeq: line.ledger_seq === null ? null : Number(line.ledger_seq),
  };
}

function batchView(batch: BatchRow, lines: LineRow[], claims: ClaimRow[]): BatchView {
  return {
    id: batch.id,
    programId: batch.program_id,
    region: batch.region,
    cutoff: batch.cutoff,
    status: batch.status as BatchStatus,
    maker: batch.maker,
    checker: batch.checker,
    funders: JSON.parse(batch.funders) as Funder[],
    lines: lines.filter((l) => l.batch_id === batch.id).map((line) => lineView(line, claims)),
    total: formatFen(batch.total_fen),
    receivables: JSON.parse(batch.receivables) as ReceivableView[],
    blocked: JSON.parse(batch.blocked) as BlockedView[],
    createdAt: batch.created_at,
    approvedAt: batch.approved_at,
    approvalSeq: batch.approval_seq === null ? null : Number(batch.approval_seq),
  };
}

async function loadView(db: Db, batch: BatchRow): Promise<BatchView> {
  return batchView(batch, await linesOf(db, [batch.id]), await claimsOf(db, [batch.id]));
}

/** What an entry records of the redemptions a line or recovery settles. */
const redemptionAmounts = (claims: { redemption_id: string; amount_fen: Fen }[]) =>
  claims.map((claim) => ({ redemptionId: claim.redemption_id, amount: formatFen(claim.amount_fen) }));

/** The entry's common members: the program's region, id and kind. */
const programData = (program: Pick<ProgramRow, 'id' | 'region' | 'kind'>) => ({ region: program.region, programId: program.id, kind: program.kind });

function assertFundersUnchanged(batch: BatchRow, funders: Funder[]): void {
  if (JSON.stringify(funders) !== batch.funders)
    throw new DomainError('batch_stale', "the program's funders changed since the batch was made; cancel it and make a new one");
}

/** A line of the batch that is still waiting to be paid or failed. */
async function pendingLine(trx: Db, batchId: string, lineId: string): Promise<LineRow> {
  const line = (await linesOf(trx, [batchId])).find((l) => l.id === lineId);
  if (!line) throw DomainError.notFound('payment line');
  if (line.status !== 'pending') throw new DomainError('line_not_pending', `line ${lineId} is ${line.status}`);
  return line;
}

export function createSettlementService(deps: Deps) {
  /** The batch, for an issuer of its region (the program's). */
  async function issuersBatch(trx: Db, id: string, actor: Issuer): Promise<BatchRow> {
    const batch = await findBatch(trx, id);
    if (!batch) throw DomainError.notFound('payment batch');
    if (batch.region !== actor.region) throw DomainError.forbidden(`payment batch ${id} belongs to region ${batch.region}, not ${actor.region}`);
    return batch;
  }

  /** Records one line as paid: its payment.disbursed entry, the line, its claims and the batch's status. */
  async function disburse(trx: Db, actor: Issuer, batch: BatchRow, line: LineRow, payment: { bankReference: string; paidOn: string }): Promise<number> {
    const program = (await findProgram(trx, batch.program_id))!;
    const funders = JSON.parse(batch.funders) as Funder[];
    assertFundersUnchanged(batch, await fundersOf(trx, program));
    const claims = (await claimsOf(trx, [batch.id])).filter((c) => c.line_id === line.id);
    const shares = parseShares(line.shares);
    const now = deps.clock.now();
    const entry = await deps.ledger.append(
      trx,
      {
        type: 'payment.disbursed',
        actor,
        data: {
          ...programData(program),
          batchId: batch.id,
          lineId: line.id,
          maker: batch.maker,
          checker: batch.checker!,
          providerUscc: line.provider_uscc,
          amount: formatFen(line.amount_fen),
          funders: funders.map((f) => ({ region: f.region, ratio: f.ratio })),
          shares: sharesView(shares),
          redemptions: redemptionAmounts(claims),
          bankReference: payment.bankReference,
          paidOn: payment.paidOn,
        },
        postings: [
          { account: accounts.payable(line.provider_uscc), amount: -line.amount_fen },
          ...shares.map((share): PostingDraft => ({ account: accounts.disbursed(share.region), amount: share.amount })),
        ],
      },
      now,
    );
    await updateLine(trx, line.id, { status: 'paid', paid_on: payment.paidOn, bank_reference: payment.bankReference, ledger_seq: BigInt(entry.seq), settled_at: now.toISOString() });
    await closeClaims(trx, line.id, 'paid');
    return entry.seq;
  }

  /** Moves the batch to the status its lines imply (after a line was paid or failed). */
  async function settleBatchStatus(trx: Db, batch: BatchRow): Promise<BatchStatus> {
    const status = statusFromLines((await linesOf(trx, [batch.id])).map((l) => l.status as LineStatus));
    const closed = status === 'paid' || status === 'cancelled';
    if (status !== batch.status) await updateBatch(trx, batch.id, { status, ...(closed ? { closed_at: deps.clock.now().toISOString() } : {}) });
    return status;
  }

  function assertPayable(batch: BatchRow): void {
    if (batch.status !== 'approved' && batch.status !== 'partially_paid')
      throw new DomainError('batch_not_approved', `payment batch ${batch.id} is ${batch.status}: only an approved batch's lines are paid or failed`);
  }

  function assertPaidOn(batch: BatchRow, paidOn: string, field: string): void {
    if (paidOn > todayIn(deps.clock)) throw new DomainError('future_date', `${field} ${paidOn} is after today (Asia/Shanghai)`, { field });
    const approvedOn = shanghaiDate(new Date(batch.approved_at!));
    if (paidOn < approvedOn) throw new DomainError('paid_before_approval', `${field} ${paidOn} is before the batch was approved on ${approvedOn}`, { field });
  }

  return {
    async create(input: CreateBatchInput, ctx: CommandContext<Issuer>) {
      return deps.unitOfWork.run({
        status: 201,
        context: ctx,
        authorize: async (trx) => {
          const program = await findProgram(trx, input.programId);
          if (!program) throw DomainError.notFound('program', 'programId');
          if (program.region !== ctx.actor.region) throw DomainError.forbidden(`program ${program.id} belongs to region ${program.region}, not ${ctx.actor.region}`);
          return program;
        },
        execute: async (trx, program): Promise<BatchView> => {
          // A cutoff in the future would gather nothing more (executions are never in the future) and misdate the batch.
          if (input.cutoff > todayIn(deps.clock)) throw new DomainError('future_date', `cutoff ${input.cutoff} is after today (Asia/Shanghai)`, { field: 'cutoff' });
          const funders = await fundersOf(trx, program);
          // Unpaid claims executed on or before the cutoff and in no open batch, grouped by provider (USCC order).
          const claims = (await redemptionClaims(trx, program.id)).filter((c) => c.executedOn <= input.cutoff && c.openBatchId === null && c.outstanding !== 0n);
          const byProvider = new Map<string, RedemptionClaim[]>();
          for (const claim of claims) byProvider.set(claim.providerUscc, [...(byProvider.get(claim.providerUscc) ?? []), claim]);

          const now = deps.clock.now().toISOString();
          const id = `pbt_${randomUUID()}`;
          const lines: LineRow[] = [];
          const claimRows: ClaimRow[] = [];
          const receivables: ReceivableView[] = [];
          const blocked: BlockedView[] = [];
          for (const uscc of [...byProvider.keys()].sort()) {
            const own = byProvider.get(uscc)!;
            const net = own.reduce((sum, c) => sum + c.outstanding, 0n);
            const redemptionIds = own.map((c) => c.redemptionId);
            if (net < 0n) {
              receivables.push({ providerUscc: uscc, amount: formatFen(-net), redemptionIds });
              continue;
            }
            if (net === 0n) continue;
            const registration = await findRegistrationCovering(trx, uscc, program.region);
            if (!registration || registration.status !== 'active') {
              blocked.push({ providerUscc: uscc, amount: formatFen(net), reason: registration ? 'suspended' : 'not_registered', redemptionIds });
              continue;
            }
            const lineId = `pln_${randomUUID()}`;
            lines.push({
              id: lineId,
              batch_id: id,
              position: BigInt(lines.length),
              provider_uscc: uscc,
              provider_name: registration.name,
              bank_name: registration.bankAccount.bankName,
              account_name: registration.bankAccount.accountName,
              account_number: registration.bankAccount.accountNumber,
              amount_fen: net,
              shares: storedShares(splitByRatio(net, funders)),
              status: 'pending',
              paid_on: null,
              bank_reference: null,
              failure_reason: null,
              ledger_seq: null,
              settled_at: null,
            });
            // A provider's line sets its receivable redemptions (negative) off against its claims.
            for (const claim of own)
              claimRows.push({ line_id: lineId, batch_id: id, redemption_id: claim.redemptionId, amount_fen: claim.outstanding, status: 'open', open_redemption_id: claim.redemptionId });
          }
          const batch: BatchRow = {
            id,
            program_id: program.id,
            region: program.region,
            kind: program.kind,
            cutoff: input.cutoff,
            status: 'draft',
            maker: ctx.actor.sub,
            checker: null,
            funders: JSON.stringify(funders.map((f) => ({ region: f.region, ratio: f.ratio }))),
            receivables: JSON.stringify(receivables),
            blocked: JSON.stringify(blocked),
            total_fen: lines.reduce((sum, line) => sum + line.amount_fen, 0n),
            created_at: now,
            approved_at: null,
            closed_at: null,
            approval_seq: null,
          };
          await insertBatch(trx, batch, lines, claimRows);
          return batchView(batch, lines, claimRows);
        },
      });
    },

    async approve(id: string, ctx: CommandContext<Issuer>) {
      return deps.unitOfWork.run({
        status: 200,
        context: ctx,
        authorize: async (trx) => {
          const batch = await issuersBatch(trx, id, ctx.actor);
          // Segregation of duties: whoever prepared the batch may not approve it.
          if (batch.maker === ctx.actor.sub) throw new DomainError('maker_checker', `payment batch ${id} was made by ${batch.maker}: another issuer must approve it`);
          return batch;
        },
        execute: async (trx, batch): Promise<BatchView> => {
          if (batch.status !== 'draft') throw new DomainError('batch_not_draft', `payment batch ${id} is ${batch.status}: only a draft is approved`);
          const program = (await findProgram(trx, batch.program_id))!;
          const funders = JSON.parse(batch.funders) as Funder[];
          assertFundersUnchanged(batch, await fundersOf(trx, program));
          const lines = await linesOf(trx, [id]);
          if (lines.length === 0) throw new DomainError('empty_batch', `payment batch ${id} has no lines to pay; cancel it`);
          const claims = await claimsOf(trx, [id]);
          // A reversal or recovery since the batch was made changes what is owed: the batch no longer says it.
          const standing = new Map((await redemptionClaims(trx, program.id, { redemptionIds: claims.map((c) => c.redemption_id) })).map((c) => [c.redemptionId, c.outstanding]));
          const stale = claims.find((claim) => standing.get(claim.redemption_id) !== claim.amount_fen);
          if (stale) throw new DomainError('batch_stale', `redemption ${stale.redemption_id}'s claim changed since the batch was made; cancel it and make a new one`);
          // The instruction file pays the accounts the lines hold: they must still be the register's, and active.
          for (const line of lines) {
            const registration = await findRegistrationCovering(trx, line.provider_uscc, program.region);
            const account = registration?.bankAccount;
            if (registration?.status !== 'active' || account?.bankName !== line.bank_name || account.accountName !== line.account_name || account.accountNumber !== line.account_number)
              throw new DomainError('batch_stale', `provider ${line.provider_uscc}'s registration or bank account changed since the batch was made; cancel it and make a new one`);
          }

          const now = deps.clock.now();
          const entry = await deps.ledger.append(
            trx,
            {
              type: 'payment.approved',
              actor: ctx.actor,
              data: {
                ...programData(program),
                batchId: id,
                cutoff: batch.cutoff,
                maker: batch.maker,
                checker: ctx.actor.sub,
                funders: funders.map((f) => ({ region: f.region, ratio: f.ratio })),
                lines: lines.map((line) => ({
                  lineId: line.id,
                  providerUscc: line.provider_uscc,
                  amount: formatFen(line.amount_fen),
                  shares: sharesView(parseShares(line.shares)),
                  redemptions: redemptionAmounts(claims.filter((c) => c.line_id === line.id)),
                })),
                total: formatFen(batch.total_fen),
              },
              // An approval moves no money: it authorises the lines that payment.disbursed entries then pay.
              postings: [],
            },
            now,
          );
          await updateBatch(trx, id, { status: 'approved', checker: ctx.actor.sub, approved_at: now.toISOString(), approval_seq: BigInt(entry.seq) });
          return loadView(trx, (await findBatch(trx, id))!);
        },
      });
    },

    async markPaid(id: string, lineId: string, input: MarkPaidInput, ctx: CommandContext<Issuer>) {
      return deps.unitOfWork.run({
        status: 200,
        context: ctx,
        authorize: (trx) => issuersBatch(trx, id, ctx.actor),
        execute: async (trx, batch): Promise<BatchView> => {
          assertPayable(batch);
          const line = await pendingLine(trx, id, lineId);
          assertPaidOn(batch, input.paidOn, 'paidOn');
          await disburse(trx, ctx.actor, batch, line, input);
          await settleBatchStatus(trx, batch);
          return loadView(trx, (await findBatch(trx, id))!);
        },
      });
    },

    async markFailed(id: string, lineId: string, input: MarkFailedInput, ctx: CommandContext<Issuer>) {
      return deps.unitOfWork.run({
        status: 200,
        context: ctx,
        authorize: (trx) => issuersBatch(trx, id, ctx.actor),
        execute: async (trx, batch): Promise<BatchView> => {
          assertPayable(batch);
          const line = await pendingLine(trx, id, lineId);
          await updateLine(trx, lineId, { status: 'failed', failure_reason: input.reason, settled_at: deps.clock.now().toISOString() });
          // Its claims return to unpaid: the next batch gathers them again.
          await closeClaims(trx, lineId, 'released');
          await settleBatchStatus(trx, batch);
          return loadView(trx, (await findBatch(trx, id))!);
        },
      });
    },

    async cancel(id: string, input: CancelBatchInput, ctx: CommandContext<Issuer>) {
      return deps.unitOfWork.run({
        status: 200,
        context: ctx,
        authorize: (trx) => issuersBatch(trx, id, ctx.actor),
        execute: async (trx, batch): Promise<BatchView> => {
          if (batch.status !== 'draft' && batch.status !== 'approved')
            throw new DomainError('batch_not_cancellable', `payment batch ${id} is ${batch.status}: only a draft, or an approved batch with no line paid, is cancelled`);
          const now = deps.clock.now().toISOString();
          for (const line of await linesOf(trx, [id])) {
            if (line.status !== 'pending') continue;
            await updateLine(trx, line.id, { status: 'cancelled', failure_reason: input.reason ?? null, settled_at: now });
            await closeClaims(trx, line.id, 'released');
          }
          await updateBatch(trx, id, { status: 'cancelled', closed_at: now });
          return loadView(trx, (await findBatch(trx, id))!);
        },
      });
    },

    /** Marks every line the bank statement shows paid with its amount; everything else is reported, never paid. */
    async reconcile(id: string, rows: StatementRow[], ctx: CommandContext<Issuer>) {
      return deps.unitOfWork.run({
        status: 200,
        context: ctx,
        authorize: (trx) => issuersBatch(trx, id, ctx.actor),
        execute: async (trx, batch): Promise<ReconcileView> => {
          // A paid batch may be reconciled again: its rows match (already paid) or not, and nothing is paid twice.
          if (batch.status !== 'paid') assertPayable(batch);
          const lines = new Map((await linesOf(trx, [id])).map((line) => [line.id, line]));
          const result: ReconcileView = { matched: [], mismatched: [], unknown: [], stillPending: [], status: batch.status as BatchStatus };
          for (const [index, row] of rows.entries()) {
            const line = lines.get(row.reference);
            const shown = { reference: row.reference, amount: formatFen(row.amount) };
            if (!line) {
              result.unknown.push(shown);
              continue;
            }
            const expected = formatFen(line.amount_fen);
            if (line.amount_fen !== row.amount) result.mismatched.push({ ...shown, expected, reason: 'amount_differs' });
            else if (line.status === 'failed' || line.status === 'cancelled') result.mismatched.push({ ...shown, expected, reason: line.status === 'failed' ? 'line_failed' : 'line_cancelled' });
            else if (line.status === 'paid')
              // The same statement read twice matches again without paying twice; another transfer for a paid line is a mismatch.
              if (line.bank_reference === row.bankReference) result.matched.push({ ...shown, paidOn: line.paid_on!, bankReference: row.bankReference, ledgerSeq: Number(line.ledger_seq), alreadyPaid: true });
              else result.mismatched.push({ ...shown, expected, reason: 'already_paid' });
            else {
              assertPaidOn(batch, row.paidOn, fieldPath([index + 1, 'paidOn']));
              const seq = await disburse(trx, ctx.actor, batch, line, row);
              lines.set(line.id, { ...line, status: 'paid', paid_on: row.paidOn, bank_reference: row.bankReference, ledger_seq: BigInt(seq) });
              result.matched.push({ ...shown, paidOn: row.paidOn, bankReference: row.bankReference, ledgerSeq: seq, alreadyPaid: false });
            }
          }
          for (const line of lines.values()) if (line.status === 'pending') result.stillPending.push({ id: line.id, providerUscc: line.provider_uscc, amount: formatFen(line.amount_fen) });
          result.status = await settleBatchStatus(trx, batch);
          return result;
        },
      });
    },

    /** Money a provider paid back in a program: it settles its receivable redemptions, oldest execution first. */
    async recover(uscc: string, input: RecoveryInput, ctx: CommandContext<Issuer>) {
      return deps.unitOfWork.run({
        status: 201,
        context: ctx,
        authorize: async (trx) => {
          const program = await findProgram(trx, input.programId);
          if (!program) throw DomainError.notFound('program', 'programId');
          if (program.region !== ctx.actor.region) throw DomainError.forbidden(`program ${program.id} belongs to region ${program.region}, not ${ctx.actor.region}`);
          return program;
        },
        execute: async (trx, program): Promise<RecoveryView> => {
          if (input.receivedOn > todayIn(deps.clock)) throw new DomainError('future_date', `receivedOn ${input.receivedOn} is after today (Asia/Shanghai)`, { field: 'receivedOn' });
          // Redemptions in a pending line are being set off there; only the others are recovered.
          const owing = (await redemptionClaims(trx, program.id, { providerUscc: uscc })).filter((c) => c.outstanding < 0n && c.openBatchId === null);
          const owed = owing.reduce((sum, c) => sum - c.outstanding, 0n);
          if (input.amount > owed)
            throw new DomainError('exceeds_receivable', `provider ${uscc} owes ${formatFen(owed)} in program ${program.id}; ${formatFen(input.amount)} is more`, { field: 'amount' });
          let left = input.amount;
          const items: { redemptionId: string; owedBefore: Fen; amount: Fen }[] = [];
          for (const claim of owing) {
            if (left === 0n) break;
            const amount = -claim.outstanding < left ? -claim.outstanding : left;
            items.push({ redemptionId: claim.redemptionId, owedBefore: -claim.outstanding, amount });
            left -= amount;
          }
          const funders = await fundersOf(trx, program);
          const shares = splitByRatio(input.amount, funders);
          const now = deps.clock.now();
          const id = `rcv_${randomUUID()}`;
          const entry = await deps.ledger.append(
            trx,
            {
              type: 'payment.recovered',
              actor: ctx.actor,
              data: {
                ...programData(program),
                recoveryId: id,
                providerUscc: uscc,
                amount: formatFen(input.amount),
                funders: funders.map((f) => ({ region: f.region, ratio: f.ratio })),
                shares: sharesView(shares),
                redemptions: items.map((item) => ({ redemptionId: item.redemptionId, owedBefore: formatFen(item.owedBefore), amount: formatFen(item.amount) })),
                bankReference: input.bankReference,
                receivedOn: input.receivedOn,
              },
              postings: [
                ...shares.map((share): PostingDraft => ({ account: accounts.disbursed(share.region), amount: -share.amount })),
                { account: accounts.payable(uscc), amount: input.amount },
              ],
            },
            now,
          );
          await insertRecovery(
            trx,
            { id, program_id: program.id, provider_uscc: uscc, amount_fen: input.amount, bank_reference: input.bankReference, received_on: input.receivedOn, ledger_seq: BigInt(entry.seq), created_at: now.toISOString(), created_by: ctx.actor.sub },
            items,
          );
          return {
            id,
            programId: program.id,
            providerUscc: uscc,
            amount: formatFen(input.amount),
            shares: sharesView(shares),
            redemptions: items.map((item) => ({ redemptionId: item.redemptionId, amount: formatFen(item.amount) })),
            bankReference: input.bankReference,
            receivedOn: input.receivedOn,
            ledgerSeq: entry.seq,
            owedAfter: formatFen(owed - input.amount),
          };
        },
      });
    },

    async get(id: string, actor: Actor): Promise<BatchView> {
      const batch = await findBatch(deps.db, id);
      if (!batch) throw DomainError.notFound('payment batch');
      // A co-funding region's issuers read the batches that spend its share (its treasury pays that share).
      const funder = actor.role === 'issuer' && (JSON.parse(batch.funders) as Funder[]).some((f) => f.region === actor.region);
      if (!funder) assertRegionAccess(actor, batch.region);
      return loadView(deps.db, batch);
    },

    async list(query: ListBatchesQuery, actor: ActorOf<'issuer' | 'auditor'>): Promise<{ batches: BatchView[] }> {
      // Issuers see their own region's batches, auditors every region theirs covers.
      const scope =
        actor.role === 'issuer'
          ? { regionFrom: actor.region, regionTo: actor.region, funder: actor.region }
          : (({ from, to }) => ({ regionFrom: from, regionTo: to }))(coveredRange(actor.region));
      const batches = await listBatches(deps.db, scope, query);
      const ids = batches.map((b) => b.id);
      const lines = await linesOf(deps.db, ids);
      const claims = await claimsOf(deps.db, ids);
      return { batches: batches.map((batch) => batchView(batch, lines, claims)) };
    },

    /** The approved batch's payment instructions for the treasury: one row per line still to be paid or paid. */
    async instructions(id: string, actor: Actor): Promise<{ batch: BatchView; rows: string[][] }> {
      const view = await this.get(id, actor);
      if (view.status === 'draft' || view.status === 'cancelled')
        throw new DomainError('batch_not_approved', `payment batch ${id} is ${view.status}: instructions are issued for approved batches only`);
      const header = ['reference', 'provider_name', 'provider_uscc', 'bank_name', 'account_name', 'account_number', 'amount', ...view.funders.map((f) => `share_${f.region}`)];
      const rows = view.lines
        .filter((line) => line.status === 'pending' || line.status === 'paid')
        // Identifiers and amounts stay exactly as the treasury's system reads them; free text a spreadsheet would run
        // as a formula gets a leading apostrophe (as the ledger's spreadsheet export does).
        .map((line) => [
          line.id,
          inert(line.providerName)!,
          line.providerUscc,
          inert(line.bankAccount.bankName)!,
          inert(line.bankAccount.accountName)!,
          line.bankAccount.accountNumber,
          line.amount,
          ...view.funders.map((f) => line.shares.find((s) => s.region === f.region)?.amount ?? '0.00'),
        ]);
      return { batch: view, rows: [header, ...rows] };
    },
  };
}
