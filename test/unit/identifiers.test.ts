import { describe, expect, it } from 'vitest';
import { covers, coveredRange } from '../../src/shared/region.js';
import { isValidUscc, usccCheckCharacter } from '../../src/shared/uscc.js';

describe('Unified Social Credit Code (GB 32100-2015)', () => {
  it.each(['91330100799655058B', '9144030071526726XG', '914403001922038216'])('accepts the published code %s', (code) => {
    expect(isValidUscc(code)).toBe(true);
  });

  it('rejects a wrong check character, a letter outside the alphabet and a wrong length', () => {
    expect(isValidUscc('91330100799655058C')).toBe(false);
    expect(isValidUscc('91330100799655058I')).toBe(false);
    expect(isValidUscc('91330100799655058')).toBe(false);
    expect(isValidUscc('91330100799655058b')).toBe(false);
  });

  it('computes the check character that makes the weighted sum divisible by 31', () => {
    expect(usccCheckCharacter('91330100799655058')).toBe('B');
  });
});

describe('GB/T 2260 region coverage', () => {
  it('a province covers its prefectures and counties, a prefecture its counties, a county itself', () => {
    expect(coveredRange('330000')).toEqual({ from: '330000', to: '339999' });
    expect(covers('330000', '330106')).toBe(true);
    expect(covers('330100', '330106')).toBe(true);
    expect(covers('330100', '330200')).toBe(false);
    expect(covers('330106', '330106')).toBe(true);
    expect(covers('330106', '330100')).toBe(false);
    expect(covers('330000', '110000')).toBe(false);
  });
});
