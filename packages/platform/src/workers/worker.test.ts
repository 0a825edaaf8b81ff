import { pino } from 'pino';
import { Registry } from 'prom-client';
import { startWorker } from './worker.js';

const logger = pino({ level: 'silent' });
const HOUR = 3_600_000;

/** A pass whose calls can be awaited one by one. */
function scriptedPass(results: Array<number | Error>) {
  let count = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const pass = jest.fn(async () => {
    count++;
    for (const w of waiters.filter((w) => w.n <= count)) w.resolve();
    const next = results.shift() ?? 0;
    if (next instanceof Error) throw next;
    return next;
  });
  const calledTimes = (n: number) =>
    new Promise<void>((resolve) => (count >= n ? resolve() : waiters.push({ n, resolve })));
  return { pass, calledTimes };
}

describe('startWorker', () => {
  it('runs at start when asked, then sleeps until woken', async () => {
    const { pass, calledTimes } = scriptedPass([0, 0]);
    const worker = startWorker({ name: 't', pass, intervalMs: HOUR, logger, runAtStart: true });
    await calledTimes(1);
    worker.wake();
    await calledTimes(2);
    await worker.stop();
    expect(pass).toHaveBeenCalledTimes(2);
  });

  it('waits for the first interval when not asked to run at start', async () => {
    const { pass } = scriptedPass([]);
    const worker = startWorker({ name: 't', pass, intervalMs: HOUR, logger });
    await new Promise((r) => setImmediate(r));
    await worker.stop();
    expect(pass).not.toHaveBeenCalled();
  });

  it('drains a backlog: a pass that did work is followed at once by another', async () => {
    const { pass, calledTimes } = scriptedPass([5, 3, 0]);
    const worker = startWorker({ name: 't', pass, intervalMs: HOUR, logger, runAtStart: true });
    await calledTimes(3);
    await worker.stop();
    expect(pass).toHaveBeenCalledTimes(3);
  });

  it('with a batch size, a pass that handled less than a batch drained the backlog: it waits', async () => {
    const { pass, calledTimes } = scriptedPass([10, 10, 4, 7]);
    const worker = startWorker({ name: 't', pass, intervalMs: HOUR, logger, runAtStart: true, batchSize: 10 });
    await calledTimes(3);
    await new Promise((r) => setTimeout(r, 20));
    expect(pass).toHaveBeenCalledTimes(3);
    worker.wake();
    await calledTimes(4);
    await worker.stop();
    expect(pass).toHaveBeenCalledTimes(4);
  });

  it('with a linger, wake-ups during the wait become one pass, run that much later', async () => {
    const { pass, calledTimes } = scriptedPass([0, 0, 0]);
    const worker = startWorker({ name: 't', pass, intervalMs: HOUR, logger, runAtStart: true, lingerMs: 60 });
    await calledTimes(1);
    const woken = Date.now();
    worker.wake();
    worker.wake();
    await new Promise((r) => setTimeout(r, 20));
    worker.wake();
    expect(pass).toHaveBeenCalledTimes(1);
    await calledTimes(2);
    expect(Date.now() - woken).toBeGreaterThanOrEqual(55);
    await new Promise((r) => setTimeout(r, 100));
    expect(pass).toHaveBeenCalledTimes(2);
    await worker.stop();
  });

  it('stop does not wait for a linger', async () => {
    const { pass, calledTimes } = scriptedPass([0, 0]);
    const worker = startWorker({ name: 't', pass, intervalMs: HOUR, logger, runAtStart: true, lingerMs: HOUR });
    await calledTimes(1);
    worker.wake();
    await worker.stop();
    expect(pass).toHaveBeenCalledTimes(1);
  });

  it('a wake during a pass runs one more pass after it', async () => {
    let release!: () => void;
    let secondPass!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const ranTwice = new Promise<void>((r) => (secondPass = r));
    let calls = 0;
    const pass = async () => {
      calls++;
      if (calls === 1) await blocked;
      if (calls === 2) secondPass();
      return 0;
    };
    const worker = startWorker({ name: 't', pass, intervalMs: HOUR, logger, runAtStart: true });
    await new Promise((r) => setImmediate(r));
    worker.wake();
    release();
    await ranTwice;
    await worker.stop();
    expect(calls).toBe(2);
  });

  it('backs off after a failing pass and counts passes by outcome', async () => {
    const registry = new Registry();
    const { pass, calledTimes } = scriptedPass([new Error('db down'), 2, 0]);
    const worker = startWorker({
      name: 'relay',
      pass,
      intervalMs: 20,
      logger,
      registry,
      runAtStart: true,
      maxBackoffMs: 20,
    });
    await calledTimes(3);
    await worker.stop();
    const passes = await registry.getSingleMetric('worker_passes_total')!.get();
    const byOutcome = Object.fromEntries(passes.values.map((v) => [v.labels.outcome, v.value]));
    expect(byOutcome.error).toBe(1);
    expect(byOutcome.ok).toBeGreaterThanOrEqual(2);
    const items = await registry.getSingleMetric('worker_items_total')!.get();
    expect(items.values[0]?.value).toBe(2);
  });

  it('stop waits for the pass in progress and runs no more', async () => {
    let finished = false;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const pass = jest.fn(async () => {
      started();
      await new Promise((r) => setTimeout(r, 20));
      finished = true;
      return 1;
    });
    const worker = startWorker({ name: 't', pass, intervalMs: HOUR, logger, runAtStart: true });
    await running;
    await worker.stop();
    expect(finished).toBe(true);
    expect(pass).toHaveBeenCalledTimes(1);
  });

  it('shares one set of metrics between workers of a registry', () => {
    const registry = new Registry();
    const a = startWorker({ name: 'a', pass: async () => 0, intervalMs: HOUR, logger, registry });
    const b = startWorker({ name: 'b', pass: async () => 0, intervalMs: HOUR, logger, registry });
    expect(registry.getMetricsAsArray().filter((m) => m.name === 'worker_passes_total')).toHaveLength(1);
    return Promise.all([a.stop(), b.stop()]);
  });
});
