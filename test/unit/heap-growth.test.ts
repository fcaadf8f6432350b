import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapGrowingFlag } from '../../src/observability/heap-growth.js';

describe('the heap growth the server sets (decision 0048)', () => {
  it('is 20% unless the process was started with its own', () => {
    expect(HEAP_GROWING_PERCENT).toBe(20);
    expect(heapGrowingFlag([])).toBe('--heap-growing-percent=20');
    expect(heapGrowingFlag(['--enable-source-maps', '--max-semi-space-size=4'])).toBe('--heap-growing-percent=20');
  });

  it("leaves an operator's own setting alone, in either spelling", () => {
    expect(heapGrowingFlag(['--heap-growing-percent=50'])).toBeUndefined();
    expect(heapGrowingFlag(['--heap_growing_percent=35'])).toBeUndefined();
    expect(heapGrowingFlag(['--heap-growing-percent', '50'])).toBeUndefined();
  });

  it('does not take a look-alike flag for it', () => {
    expect(heapGrowingFlag(['--heap-growing-percentage=50', '--max-old-space-size=512'])).toBe('--heap-growing-percent=20');
  });
});
