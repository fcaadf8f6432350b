import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFen, parseSignedYuan, parseYuan, positiveYuanSchema } from '../../src/shared/money.js';

describe('yuan amounts at the edge', () => {
  it('parses decimal strings to exact fen', () => {
    expect(parseYuan('1234.50')).toBe(123450n);
    expect(parseYuan('0.01')).toBe(1n);
    expect(parseYuan('9999999999999.99')).toBe(999999999999999n);
    expect(parseYuan('7')).toBe(700n);
  });

  it.each(['', '-1.00', '+1.00', '1e3', '1.001', '01.00', '12345678901234.00', ' 1.00', '1.', '.5', 'NaN'])('rejects %j', (text) =>
    expect(positiveYuanSchema.safeParse(text).success).toBe(false),
  );

  it('rejects a JSON number and zero as a quantity', () => {
    expect(positiveYuanSchema.safeParse(1234.5).success).toBe(false);
    expect(positiveYuanSchema.safeParse('0.00').success).toBe(false);
  });

  it('formats fen with two decimals and a sign', () => {
    expect(formatFen(123450n)).toBe('1234.50');
    expect(formatFen(-5n)).toBe('-0.05');
    expect(formatFen(0n)).toBe('0.00');
  });

  it('round-trips every amount exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -999999999999999n, max: 999999999999999n }), (fen) => {
        expect(parseSignedYuan(formatFen(fen))).toBe(fen);
      }),
    );
  });
});
