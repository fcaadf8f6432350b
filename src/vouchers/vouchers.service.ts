import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, ActorOf } from '../auth/actor.js';
import { assertRegionAccess } from '../auth/auth.middleware.js';
import type { Database, VoucherRow } from '../db/schema.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type { Deps } from '../deps.js';
import { DomainError } from '../shared/errors.js';
import { accountBalance } from '../ledger/ledger.repository.js';
import { accounts, transfer } from '../ledger/ledger.types.js';
import type { LedgerWriter } from '../ledger/ledger.writer.js';
import { findProgram } from '../programs/programs.repository.js';
import { todayIn } from '../shared/clock.js';
import { formatFen } from '../shared/money.js';
import type { IssueVoucherInput, ListVouchersQuery, ProviderVoucherView, RevokeVoucherInput, VoucherStatus, VoucherView } from './vouchers.schemas.js';
import { holdsContractAgainst } from '../contracts/contracts.repository.js';
import { decodeCursor, type Page, pageOf } from '../shared/pagination.js';
import { coveredRange } from '../shared/region.js';
import { closeVoucher, findLapsedVouchers, findVoucher, insertVoucher, listVouchers } from './vouchers.repository.js';

export async function voucherView(db: Kysely<Database>, voucher: VoucherRow): Promise<VoucherView> {
  return {
    id: voucher.id,
    programId: voucher.program_id,
    kind: voucher.kind,
    region: voucher.region,
    beneficiary: { uscc: voucher.beneficiary_uscc, name: voucher.beneficiary_name },
    amount: formatFen(voucher.amount_fen),
    balance: formatFen(await accountBalance(db, accounts.voucher(voucher.id))),
    status: voucher.status as VoucherStatus,
    expiresOn: voucher.expires_on,
    closedAt: voucher.closed_at,
    closeReason: voucher.close_reason,
  };
}

/** Returns a closing voucher's whole balance to its program, as one `voucher.revoked` or `voucher.expired` entry. */
async function closeAndReturn(ledger: LedgerWriter, trx: Kysely<Database>, voucher: VoucherRow, how: 'revoked' | 'expired', actor: Actor, reason: string, now: Date) {
  const balance = await accountBalance(trx, accounts.voucher(voucher.id));
  await ledger.append(
    trx,
    {
      type: how === 'revoked' ? 'voucher.revoked' : 'voucher.expired',
      actor,
      data: {
        region: voucher.region,
        programId: voucher.program_id,
        kind: voucher.kind,
        voucherId: voucher.id,
        ...(how === 'revoked' ? { reason } : { expiresOn: voucher.expires_on }),
        returned: formatFen(balance),
      },
      postings: transfer(accounts.voucher(voucher.id), accounts.program(voucher.program_id), balance),
    },
    now,
  );
  await closeVoucher(trx, voucher.id, how, now.toISOString(), reason);
  return balance;
}

export function createVoucherService(deps: Deps) {
  return {
    async issue(input: IssueVoucherInput, ctx: CommandContext<ActorOf<'issuer'>>) {
      if (input.expiresOn < todayIn(deps.clock))
        throw DomainError.validation([{ field: 'expiresOn', message: 'must not be in the past (Asia/Shanghai)' }]);
      return deps.unitOfWork.run({
        status: 201,
        context: ctx,
        authorize: async (trx) => {
          const program = await findProgram(trx, input.programId);
          if (!program) throw DomainError.notFound('program', 'programId');
          assertRegionAccess(ctx.actor, program.region);
          return program;
        },
        execute: async (trx, program) => {
        const available = await accountBalance(trx, accounts.program(program.id));
        if (available < input.amount)
          throw new DomainError('insufficient_budget', `the program has ${formatFen(available)} available, less than ${formatFen(input.amount)}`);
        const now = deps.clock.now();
        const voucher: VoucherRow = {
          id: `vch_${randomUUID()}`,
          program_id: program.id,
          kind: program.kind,
          region: program.region,
          beneficiary_uscc: input.beneficiary.uscc,
          beneficiary_name: input.beneficiary.name,
          amount_fen: input.amount,
          status: 'active',
          expires_on: input.expiresOn,
          created_at: now.toISOString(),
          closed_at: null,
          close_reason: null,
        };
        await insertVoucher(trx, voucher);
        await deps.ledger.append(
          trx,
          {
            type: 'voucher.issued',
            actor: ctx.actor,
            data: {
              region: voucher.region,
              programId: program.id,
              kind: voucher.kind,
              voucherId: voucher.id,
              beneficiary: { uscc: voucher.beneficiary_uscc, name: voucher.beneficiary_name },
              amount: formatFen(voucher.amount_fen),
              expiresOn: voucher.expires_on,
            },
            postings: transfer(accounts.program(program.id), accounts.voucher(voucher.id), voucher.amount_fen),
          },
          now,
        );
        return voucherView(trx, voucher);
        },
      });
    },

    async get(id: string, actor: Actor): Promise<VoucherView | ProviderVoucherView> {
      const voucher = await findVoucher(deps.db, id);
      if (!voucher) throw DomainError.notFound('voucher');
      if (actor.role === 'provider') {
        // A provider checks the balance it is about to redeem against; it learns nothing of the holder beyond that.
        if (!(await holdsContractAgainst(deps.db, actor.org, voucher)))
          throw DomainError.forbidden('a provider reads only vouchers it holds a contract against (its beneficiary and kind, not drawing on another voucher)');
        const { id: voucherId, kind, status, balance, expiresOn } = await voucherView(deps.db, voucher);
        return { id: voucherId, kind, status, balance, expiresOn };
      }
      assertRegionAccess(actor, voucher.region);
      return voucherView(deps.db, voucher);
    },

    /** A page of an issuer's region's vouchers, or those of the regions an auditor covers. */
    async list(query: ListVouchersQuery, actor: ActorOf<'issuer' | 'auditor'>): Promise<Page<VoucherView>> {
      const after = decodeCursor<[string, string]>('vouchers', query.cursor, 2);
      const regions = actor.role === 'issuer' ? { from: actor.region, to: actor.region } : coveredRange(actor.region);
      const rows = await listVouchers(deps.db, regions, query, after, query.limit);
      return pageOf(rows, query.limit, 'vouchers', (row) => [row.created_at, row.id], (kept) => Promise.all(kept.map((row) => voucherView(deps.db, row))));
    },

    async revoke(id: string, input: RevokeVoucherInput, ctx: CommandContext<ActorOf<'issuer'>>) {
      return deps.unitOfWork.run({
        status: 200,
        context: ctx,
        authorize: async (trx) => {
          const voucher = await findVoucher(trx, id);
          if (!voucher) throw DomainError.notFound('voucher');
          assertRegionAccess(ctx.actor, voucher.region);
          return voucher;
        },
        execute: async (trx, voucher) => {
        if (voucher.status !== 'active') throw new DomainError('voucher_not_active', `the voucher is already ${voucher.status}`);
        await closeAndReturn(deps.ledger, trx, voucher, 'revoked', ctx.actor, input.reason, deps.clock.now());
        return voucherView(trx, (await findVoucher(trx, id))!);
        },
      });
    },

    /** Closes every active voucher whose validity has ended and returns its balance to its program. */
    async sweepExpired(ctx: CommandContext, region?: string) {
      return deps.unitOfWork.run({ status: 200, context: ctx, execute: async (trx) => {
        const now = deps.clock.now();
        const lapsed = await findLapsedVouchers(trx, todayIn(deps.clock), region);
        const expired = [];
        for (const voucher of lapsed) {
          const returned = await closeAndReturn(deps.ledger, trx, voucher, 'expired', ctx.actor, 'validity ended', now);
          expired.push({ voucherId: voucher.id, programId: voucher.program_id, returned: formatFen(returned) });
        }
        return { expired };
      } });
    },
  };
}
