import { backoffDelayMs } from './backoff';

const policy = { baseMs: 30_000, factor: 2, capMs: 600_000 };

describe('backoffDelayMs', () => {
  it('grows exponentially from the base with full jitter up to the ceiling', () => {
    const almostOne = () => 0.999999;
    expect(backoffDelayMs(1, policy, almostOne)).toBe(29_999);
    expect(backoffDelayMs(2, policy, almostOne)).toBe(59_999);
    expect(backoffDelayMs(3, policy, almostOne)).toBe(119_999);
    expect(backoffDelayMs(4, policy, almostOne)).toBe(239_999);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelayMs(20, policy, () => 0.999999)).toBeLessThan(600_000);
  });

  it('spreads retries anywhere between zero and the ceiling', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(60_000);
  });
});
