// Exact arithmetic of the verifier, on bigints only: fen amounts and rates as integer fractions.

const AMOUNT = /^(-?)(0|[1-9][0-9]*)\.([0-9]{2})$/;

/** Parses a ledger amount ("-1234.50") into fen; undefined for anything else. */
export function fen(text: unknown): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const match = AMOUNT.exec(text);
  if (!match) return undefined;
  const value = BigInt(match[2]!) * 100n + BigInt(match[3]!);
  return match[1] === '-' ? -value : value;
}

export function yuan(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** A rate string "0.30" as numerator/denominator. */
export function rate(text: unknown): { num: bigint; den: bigint } | undefined {
  if (typeof text !== 'string' || !/^[01](\.[0-9]{1,6})?$/.test(text)) return undefined;
  const [whole, fraction = ''] = text.split('.');
  const den = 10n ** BigInt(fraction.length);
  const num = BigInt(whole!) * den + BigInt(fraction || '0');
  return num <= den ? { num, den } : undefined;
}

/** floor(r × amount) for non-negative amounts. */
export const floorTimes = (r: { num: bigint; den: bigint }, amount: bigint): bigint => (r.num * amount) / r.den;

export const compareRate = (a: { num: bigint; den: bigint }, b: { num: bigint; den: bigint }): number => {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left === right ? 0 : left < right ? -1 : 1;
};
