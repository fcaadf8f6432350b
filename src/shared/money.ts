import { z } from 'zod';

/** Money in storage and in the domain: integer fen (1 yuan = 100 fen), always a bigint. */
export type Fen = bigint;

/** Yuan at the API: no sign, no exponent, no leading zeros, at most 13 integer digits and two decimals. */
const YUAN_PATTERN = /^(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?$/;
const SIGNED_YUAN_PATTERN = /^-?(0|[1-9][0-9]{0,12})\.[0-9]{2}$/;

export function parseYuan(text: string): Fen {
  if (!YUAN_PATTERN.test(text)) throw new RangeError(`not a yuan amount: ${JSON.stringify(text)}`);
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** Formats fen as yuan with exactly two decimals; negative amounts carry a leading minus. */
export function formatFen(fen: Fen): string {
  const negative = fen < 0n;
  const magnitude = negative ? -fen : fen;
  const whole = magnitude / 100n;
  const cents = (magnitude % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

/** Parses the signed two-decimal strings of ledger postings. */
export function parseSignedYuan(text: string): Fen {
  if (!SIGNED_YUAN_PATTERN.test(text)) throw new RangeError(`not a signed yuan amount: ${JSON.stringify(text)}`);
  return text.startsWith('-') ? -parseYuan(text.slice(1)) : parseYuan(text);
}

export const minFen = (first: Fen, ...rest: Fen[]): Fen => rest.reduce((a, b) => (b < a ? b : a), first);

const yuanString = z
  .string({ error: 'must be a string of yuan such as "1234.50"' })
  .regex(YUAN_PATTERN, 'must be yuan as a string with at most 13 integer digits and 2 decimals, e.g. "1234.50"');

/** Any non-negative amount of yuan, as fen. */
export const yuanSchema = yuanString.transform((text) => parseYuan(text));

/** A quantity that must be strictly positive (budgets, voucher amounts, executed amounts). */
export const positiveYuanSchema = yuanSchema.refine((fen) => fen > 0n, 'must be greater than 0.00');

/** An amount as the API writes it (formatFen): yuan with exactly two decimals, a minus when negative. */
export const yuanText = z.string().regex(SIGNED_YUAN_PATTERN).meta({ description: 'yuan as a string with two decimals, e.g. "1234.50"', example: '1234.50' });
