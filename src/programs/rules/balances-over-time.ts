// Where a program's money is, from its entries' net movements per hour (the program's balances view).
import { shanghaiDate } from '../../shared/dates.js';
import { type Fen, formatFen } from '../../shared/money.js';
import type { HourlyMovement, ProgramAccountKind } from '../programs.model.js';
import type { ProgramBalances, ProgramBalancesView } from '../programs.schemas.js';

/** Running totals per kind of account, read at the end of each Asia/Shanghai day that had movements. */
export function balancesOverTime(movements: readonly HourlyMovement[]): Pick<ProgramBalancesView, 'current' | 'daily'> {
  const totals = new Map<ProgramAccountKind, Fen>();
  const position = (): ProgramBalances => {
    const total = (kind: ProgramAccountKind) => totals.get(kind) ?? 0n;
    return {
      funded: formatFen(-total('appropriation')),
      available: formatFen(total('program')),
      onVouchers: formatFen(total('voucher')),
      reserved: formatFen(total('reserved')),
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
