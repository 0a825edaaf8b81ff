import { Registry } from 'prom-client';
import { AppError } from '../errors/app-error.js';
import { createAdmission } from './admission.js';

/** Work that runs until released, recording how many run at once. */
function gatedWork() {
  let running = 0;
  let most = 0;
  const gates: Array<() => void> = [];
  const work = (value: string) => async () => {
    running++;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => gates.push(resolve));
    running--;
    return value;
  };
  const releaseOne = async () => {
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { work, releaseOne, most: () => most, started: () => gates.length };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('createAdmission', () => {
  it('runs at most maxConcurrent at once; the rest wait in line and run in order', async () => {
    const g = gatedWork();
    const admission = createAdmission({ name: 't', maxConcurrent: 2, maxWaitMs: 60_000 });
    const order: string[] = [];
    const calls = ['a', 'b', 'c', 'd'].map((v) => admission.run(undefined, g.work(v)).then((r) => order.push(r)));
    await settle();
    expect(g.started()).toBe(2);
    for (let i = 0; i < 4; i++) await g.releaseOne();
    await Promise.all(calls);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(g.most()).toBe(2);
  });

  it('refuses a call that waited maxWaitMs with a retryable unavailable, and counts it', async () => {
    const g = gatedWork();
    const registry = new Registry();
    const admission = createAdmission({ name: 'place_order', maxConcurrent: 1, maxWaitMs: 30, registry });
    const first = admission.run(undefined, g.work('first'));
    const refused = admission.run(undefined, g.work('second'));
    await expect(refused).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(refused).rejects.toBeInstanceOf(AppError);
    expect(await registry.getSingleMetricAsString('admission_rejected_total')).toContain(
      'admission_rejected_total{work="place_order",reason="wait"} 1',
    );
    await g.releaseOne();
    expect(await first).toBe('first');
    expect(g.most()).toBe(1);
  });

  it('lets a caller that gave up leave the line without running its work', async () => {
    const g = gatedWork();
    const admission = createAdmission({ name: 't', maxConcurrent: 1, maxWaitMs: 60_000 });
    const first = admission.run(undefined, g.work('first'));
    const caller = new AbortController();
    const ran = jest.fn(async () => 'never');
    const abandoned = admission.run(caller.signal, ran);
    const third = admission.run(undefined, g.work('third'));
    caller.abort(new Error('deadline exceeded'));
    await expect(abandoned).rejects.toThrow('deadline exceeded');
    await g.releaseOne();
    expect(await first).toBe('first');
    await settle();
    await g.releaseOne();
    expect(await third).toBe('third');
    expect(ran).not.toHaveBeenCalled();
  });

  it('passes a freed slot to the next in line, so a newcomer cannot overtake it', async () => {
    const g = gatedWork();
    const admission = createAdmission({ name: 't', maxConcurrent: 1, maxWaitMs: 60_000 });
    const calls = [admission.run(undefined, g.work('a')), admission.run(undefined, g.work('b'))];
    await settle();
    await g.releaseOne(); // a ends; b gets its slot
    calls.push(admission.run(undefined, g.work('c')));
    await settle();
    expect(g.started()).toBe(1);
    await g.releaseOne();
    await g.releaseOne();
    expect(await Promise.all(calls)).toEqual(['a', 'b', 'c']);
    expect(g.most()).toBe(1);
  });

  it('with maxConcurrent 0, runs everything at once', async () => {
    const g = gatedWork();
    const admission = createAdmission({ name: 't', maxConcurrent: 0, maxWaitMs: 1 });
    const calls = [1, 2, 3].map((n) => admission.run(undefined, g.work(String(n))));
    await settle();
    expect(g.started()).toBe(3);
    for (let i = 0; i < 3; i++) await g.releaseOne();
    expect(await Promise.all(calls)).toEqual(['1', '2', '3']);
  });
});
