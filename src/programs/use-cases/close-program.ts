// An issuer closes its program at the end of its period (decision 0042): every active voucher expires, and
// everything the program then holds goes back to its funders in the shares it came in, as one entry.
import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { Database } from '../../db/schema.js';
import { readEntries } from '../../ledger/ledger.reader.js';
import { accountBalance } from '../../ledger/ledger.repository.js';
import { accounts } from '../../ledger/ledger.types.js';
import { openClaimCountOfProgram } from '../../redemptions/claims.repository.js';
import { todayIn } from '../../shared/clock.js';
import { shanghaiDate } from '../../shared/dates.js';
import { DomainError } from '../../shared/errors.js';
import { formatFen } from '../../shared/money.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { activeVoucherBalancesOfProgram, expireVouchersOfProgram } from '../../vouchers/vouchers.repository.js';
import { programClosedEntry } from '../programs.entries.js';
import type { Program } from '../programs.model.js';
import { adjustFunder, findFunderStates, markProgramClosed } from '../programs.repository.js';
import type { ClosingView, ProgramCloseView } from '../programs.schemas.js';
import { closeSharesView } from '../programs.views.js';
import { assertClosable, closableFrom, closeDeltas, type ClosePlan, planClose } from '../rules/close.js';
import type { Issuer, ProgramDeps } from './dependencies.js';
import { ownProgram, readableProgram } from './program-access.js';
import { currentProgramView } from './read-programs.js';

/** The reason a closed program's vouchers carry. */
const CLOSED_WITH_PROGRAM = 'program closed';

/** What closing the program would return now, by the same rule as the close. */
async function loadPlan(db: Kysely<Database>, program: Program): Promise<ClosePlan> {
  const [funders, availableBefore, vouchers] = await Promise.all([
    findFunderStates(db, program.id),
    accountBalance(db, accounts.program(program.id)),
    activeVoucherBalancesOfProgram(db, program.id),
  ]);
  return planClose({ ownRegion: program.region, funders, availableBefore, vouchers: vouchers.map((v) => ({ voucherId: v.voucherId, balance: v.balance })) });
}

const planView = (plan: ClosePlan) => ({
  vouchers: { count: plan.vouchers.length, balance: formatFen(plan.vouchersReturned) },
  availableBefore: formatFen(plan.availableBefore),
  returned: formatFen(plan.returned),
  funders: closeSharesView(plan),
});

/** The close as its program.closed entry recorded it: the figures a closed program's preview shows. */
async function recordedClose(db: Kysely<Database>, programId: string) {
  const [entry] = await readEntries(db, { type: 'program.closed', programId }, 1);
  const data = entry!.data as unknown as ClosedEntryData;
  return {
    vouchers: { count: data.vouchers.length, balance: data.vouchersReturned },
    availableBefore: data.availableBefore,
    returned: data.returned,
    funders: data.funders,
  };
}

/** The members of a program.closed entry the preview repeats (programClosedEntry writes them). */
interface ClosedEntryData {
  vouchers: unknown[];
  vouchersReturned: string;
  availableBefore: string;
  returned: string;
  funders: { region: string; ratio: string; confirmed: string; pendingCancelled: string; returned: string }[];
}

/** The preview a console shows before the close: whether it may close today, and who gets what back. */
export async function closingPreview(deps: Pick<ProgramDeps, 'db' | 'clock'>, id: string, actor: Actor): Promise<ClosingView> {
  const program = await readableProgram(deps.db, id, actor);
  const today = todayIn(deps.clock);
  const openClaims = await openClaimCountOfProgram(deps.db, program.id);
  const available = await accountBalance(deps.db, accounts.program(program.id));
  let refusal: ClosingView['refusal'] = null;
  try {
    assertClosable(program, today, openClaims, available);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    refusal = { code: error.code, detail: error.message };
  }
  return {
    programId: program.id,
    today,
    closableFrom: closableFrom(program),
    openClaims,
    refusal,
    // A closed program shows its close as the ledger recorded it, unless money came back since: then what a new
    // close would return.
    ...(refusal?.code === 'program_closed' ? await recordedClose(deps.db, program.id) : planView(await loadPlan(deps.db, program))),
  };
}

export async function closeProgram(deps: ProgramDeps, id: string, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => ownProgram(trx, id, ctx.actor),
    execute: async (trx, program): Promise<ProgramCloseView> => {
      const now = deps.clock.now();
      const closedOn = shanghaiDate(now);
      assertClosable(program, closedOn, await openClaimCountOfProgram(trx, program.id), await accountBalance(trx, accounts.program(program.id)));
      const plan = await loadPlan(trx, program);
      const entry = await deps.ledger.append(trx, programClosedEntry(program, closedOn, plan, ctx.actor), now);
      await expireVouchersOfProgram(trx, program.id, { closedAt: now.toISOString(), closeReason: CLOSED_WITH_PROGRAM });
      for (const delta of closeDeltas(plan)) await adjustFunder(trx, program.id, delta);
      // A program keeps the day it was first closed; a later close only hands back what came back.
      const closed = program.closed ?? { on: closedOn, at: now.toISOString() };
      await markProgramClosed(trx, program.id, closed);
      return {
        programId: program.id,
        closedOn,
        ledgerSeq: entry.seq,
        ...planView(plan),
        expiredVouchers: plan.vouchers.map((v) => ({ voucherId: v.voucherId, returned: formatFen(v.balance) })),
        program: await currentProgramView(trx, { ...program, closed }),
      };
    },
  });
}
