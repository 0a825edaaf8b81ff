import { divideRoundHalfUp, taxOf } from './money.js';

describe('half-up rounding of tax', () => {
  it('rounds exact halves up (0.5 → 1, 1.5 → 2, 2.5 → 3)', () => {
    // 25 % of 2, 6 and 10 minor units is 0.5, 1.5 and 2.5: half-even would give 0, 2 and 2.
    expect(taxOf(2n, 2500)).toBe(1n);
    expect(taxOf(6n, 2500)).toBe(2n);
    expect(taxOf(10n, 2500)).toBe(3n);
  });

  it('rounds below a half down and above a half up', () => {
    expect(taxOf(3n, 1600)).toBe(0n); // 0.48
    expect(taxOf(4n, 1600)).toBe(1n); // 0.64
    expect(taxOf(1234n, 800)).toBe(99n); // 98.72
    expect(divideRoundHalfUp(49_999n, 100_000n)).toBe(0n);
    expect(divideRoundHalfUp(50_000n, 100_000n)).toBe(1n);
  });

  it('is exact for whole results and zero-rated goods', () => {
    expect(taxOf(10_000n, 1600)).toBe(1_600n);
    expect(taxOf(99_999n, 0)).toBe(0n);
    expect(taxOf(0n, 1600)).toBe(0n);
  });

  it('stays exact far beyond the float range', () => {
    expect(taxOf(9_007_199_254_740_993n * 10_000n, 1600)).toBe(9_007_199_254_740_993n * 1_600n);
  });

  it('refuses negative amounts instead of picking a tie direction silently', () => {
    expect(() => divideRoundHalfUp(-1n, 2n)).toThrow(RangeError);
  });
});
