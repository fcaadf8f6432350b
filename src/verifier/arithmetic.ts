// Exact arithmetic of the verifier, on bigints only: fen amounts and rates as integer fractions.

const AMOUNT = /^-?(?:0|[1-9][0-9]*)\.[0-9]{2}$/;

/** Parses a ledger amount ("-1234.50") into fen; undefined for anything else. One BigInt per amount. */
export function fen(text: unknown): bigint | undefined {
  if (typeof text !== 'string' || !AMOUNT.test(text)) return undefined;
  const dot = text.length - 3;
  return BigInt(text.slice(0, dot) + text.slice(dot + 1));
}

/** Every top-level member of `data` that is an amount, parsed once per entry (a null-prototype record). */
export type Amounts = Record<string, bigint | undefined>;
export function amountsOf(data: Record<string, unknown>): Amounts {
  const out = Object.create(null) as Amounts;
  for (const key of Object.keys(data)) {
    const value = fen(data[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

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
