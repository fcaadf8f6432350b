// Money arrives as decimal strings ("1234.50", "-0.01"); it is formatted as text and summed as bigint fen,
// never parsed into a floating-point number.

const MONEY = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/** Yuan string → integer fen. Throws on anything that is not a decimal amount with at most two decimals. */
export function toFen(amount: string): bigint {
  const match = MONEY.exec(amount.trim());
  if (!match) throw new Error(`not an amount: ${amount}`);
  const fen = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -fen : fen;
}

/** Integer fen → yuan string with two decimals ("-12.05"). */
export function fromFen(fen: bigint): string {
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export const sumYuan = (amounts: readonly string[]): string => fromFen(amounts.reduce((total, amount) => total + toFen(amount), 0n));

/** "1234567.5" → "¥1,234,567.50"; negatives "-¥12.00"; anything else is shown as it came. */
export function formatYuan(amount: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  const match = MONEY.exec(amount.trim());
  if (!match) return amount;
  const integer = match[2]!.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (match[3] ?? '').padEnd(2, '0');
  const negative = match[1] && /[1-9]/.test(match[2]! + fraction);
  return `${negative ? '-' : ''}¥${integer}.${fraction}`;
}

/** A rate such as "0.30" as "30%" (string arithmetic: shift the decimal point two places). */
export function formatRate(rate: string | null | undefined): string {
  if (!rate) return '—';
  const match = /^(\d+)(?:\.(\d*))?$/.exec(rate);
  if (!match) return rate;
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const whole = `${match[1]}${fraction.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = fraction.slice(2).replace(/0+$/, '');
  return `${whole}${rest ? `.${rest}` : ''}%`;
}

/** The percentage (0–100) of part in whole, for progress bars only (a display ratio, not money). */
export function percentOf(part: string, whole: string): number {
  const denominator = toFen(whole);
  if (denominator <= 0n) return 0;
  return Number((toFen(part) * 10000n) / denominator) / 100;
}

const shanghai = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An ISO timestamp shown in Beijing time: "2026-11-30 16:35:02". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(shanghai.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

/** Today's calendar date in Asia/Shanghai (YYYY-MM-DD), the service's "today". */
export function todayInShanghai(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
