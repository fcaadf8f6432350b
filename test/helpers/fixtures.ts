import { usccCheckCharacter } from '../../src/shared/uscc.js';

/** A valid USCC (GB 32100-2015 check character included) for a test enterprise number. */
export function uscc(n: number, region = '330100'): string {
  const first17 = `91${region}${String(n).padStart(9, '0')}`;
  return first17 + usccCheckCharacter(first17);
}

export const HANGZHOU = '330100';
export const XIHU = '330106';
export const NINGBO = '330200';
export const ZHEJIANG = '330000';
export const BEIJING = '110000';

export const PROVIDER = uscc(1);
export const OTHER_PROVIDER = uscc(2);
export const ENTERPRISE = uscc(101);
export const OTHER_ENTERPRISE = uscc(102);
