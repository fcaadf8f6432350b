import { z } from 'zod';

// GB 32100-2015: the Unified Social Credit Code alphabet omits I, O, Z, S and V.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters of a USCC. */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

export function isValidUscc(code: string): boolean {
  return SHAPE.test(code) && usccCheckCharacter(code.slice(0, 17)) === code.charAt(17);
}

export const usccSchema = z
  .string({ error: 'must be an 18-character Unified Social Credit Code' })
  .refine(isValidUscc, 'must be an 18-character Unified Social Credit Code with a valid GB 32100-2015 check character');
