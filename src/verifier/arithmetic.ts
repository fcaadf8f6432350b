// Exact arithmetic of the verifier, on bigints only: fen amounts and rates as integer fractions.

const DOT = 0x2e;
const MINUS = 0x2d;
const ZERO = 0x30;
/** Digits that an integer below 2^53 always holds exactly. */
const EXACT_DIGITS = 15;

/**
 * Parses a ledger amount, -?(0|[1-9][0-9]*).[0-9]{2} ("-1234.50"), into fen; undefined for anything else. One
 * BigInt per amount: up to 15 digits are gathered as an integer below 2^53, exactly, longer ones as text.
 */
export function fen(text: unknown): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const dot = text.length - 3;
  if (dot < 1 || text.charCodeAt(dot) !== DOT) return undefined;
  const negative = text.charCodeAt(0) === MINUS;
  const first = negative ? 1 : 0;
  if (dot === first || (text.charCodeAt(first) === ZERO && dot - first > 1)) return undefined;
  let integer = 0;
  for (let i = first; i < text.length; i++) {
    if (i === dot) continue;
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return undefined;
    integer = integer * 10 + digit;
  }
  if (text.length - first - 1 > EXACT_DIGITS) return BigInt(text.slice(0, dot) + text.slice(dot + 1));
  return negative ? -BigInt(integer) : BigInt(integer);
}

/** An entry's top-level amounts by member name, each parsed once. */
export type Amounts = Record<string, bigint | undefined>;

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function yuan(value: bigint): string {
  // Below 2^53 fen, Number arithmetic on the integer is exact and allocates no intermediate bigints.
  if (value <= SAFE && value >= -SAFE) {
    const n = Number(value);
    const abs = n < 0 ? -n : n;
    const cents = abs % 100;
    return `${n < 0 ? '-' : ''}${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`;
  }
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export interface Rate {
  num: bigint;
  den: bigint;
}

const RATE = /^[01](\.[0-9]{1,6})?$/;
/** Parsed rates by their text: a ledger uses a handful of them, so each is parsed once (bounded). */
const rates = new Map<string, Rate | undefined>();

/** A rate string "0.30" as numerator/denominator. */
export function rate(text: unknown): Rate | undefined {
  if (typeof text !== 'string') return undefined;
  if (rates.has(text)) return rates.get(text);
  let parsed: Rate | undefined;
  if (RATE.test(text)) {
    const [whole, fraction = ''] = text.split('.');
    const den = 10n ** BigInt(fraction.length);
    const num = BigInt(whole!) * den + BigInt(fraction || '0');
    parsed = num <= den ? { num, den } : undefined;
  }
  if (rates.size < 1024) rates.set(text, parsed);
  return parsed;
}

/** floor(r × amount) for non-negative amounts. */
export const floorTimes = (r: Rate, amount: bigint): bigint => (r.num * amount) / r.den;

export const compareRate = (a: Rate, b: Rate): number => {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left === right ? 0 : left < right ? -1 : 1;
};
