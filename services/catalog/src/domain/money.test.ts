import { averageMinor } from './money';

describe('averageMinor rounds half away from zero in whole minor units', () => {
  it.each([
    [[1n, 1n, 2n], 1n],
    [[1n, 2n], 2n],
    [[1n, 2n, 2n], 2n],
    [[-1n, -2n], -2n],
    [[5n], 5n],
    [[9_007_199_254_740_993n, 9_007_199_254_740_995n], 9_007_199_254_740_994n],
  ])('average of %p is %p', (values, expected) => {
    expect(averageMinor(values)).toBe(expected);
  });

  it('is undefined for no values', () => expect(averageMinor([])).toBeUndefined());
});
