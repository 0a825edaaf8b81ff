import { Counter, Histogram, type Registry } from 'prom-client';
import { perRegistry } from '../metrics.js';
import type { Logger } from '../logger.js';

export interface WorkerOptions {
  /** Names the loop in logs and in the `worker` label of its metrics ("outbox-relay"). */
  name: string;
  /**
   * One pass over whatever is due; returns how much it did. A pass that did something is followed
   * at once by another (draining a backlog), one that did nothing by a wait of `intervalMs`.
   */
  pass: () => Promise<number>;
  intervalMs: number;
  logger: Logger;
  /** Where the pass metrics go; one set of metrics is shared by every worker of a registry. */
  registry?: Registry;
  /** A failed pass is retried after a backoff that doubles from `intervalMs / 4` up to this. */
  maxBackoffMs?: number;
  /** Run the first pass at once (start-up recovery) instead of after the first interval. */
  runAtStart?: boolean;
  /**
   * The most a pass handles (its batch size). A pass that handled fewer drained what was due, so
   * the loop waits instead of running an empty pass to find out. Unset: any work means go again.
   */
  batchSize?: number;
  /**
   * A wake-up during the wait runs the pass this much later, not at once: under load one pass
   * then handles what several wake-ups announced (one query and one commit for a batch instead
   * of one each), at the price of this much latency. 0 (default): at once.
   */
  lingerMs?: number;
}

export interface Worker {
  /** Ends the current wait at once (new work was stored); a pass in progress runs another after it. */
  wake(): void;
  /** Stops the loop and resolves once the pass in progress (if any) has finished. */
  stop(): Promise<void>;
}

const workerMetrics = perRegistry((registry) => ({
  passes: new Counter({
    name: 'worker_passes_total',
    help: 'Background loop passes, by worker and outcome (ok, error).',
    labelNames: ['worker', 'outcome'],
    registers: [registry],
  }),
  items: new Counter({
    name: 'worker_items_total',
    help: 'Units of work done by background loop passes, by worker.',
    labelNames: ['worker'],
    registers: [registry],
  }),
  duration: new Histogram({
    name: 'worker_pass_duration_seconds',
    help: 'Background loop pass time in seconds, by worker.',
    labelNames: ['worker'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  }),
}));

/**
 * The one background loop of every service (outbox relay, dispatcher, sweepers, follow-up tasks):
 * passes never overlap, an idle loop sleeps until its interval or a wake-up, a failing one backs
 * off exponentially instead of hammering a dependency that is down, and stop() waits for the pass
 * in progress so shutdown never cuts a transaction short.
 */
export function startWorker(o: WorkerOptions): Worker {
  const metrics = o.registry ? workerMetrics(o.registry) : undefined;
  // Born at zero, so rate() and increase() see the first pass and the first failure.
  for (const outcome of ['ok', 'error']) metrics?.passes.inc({ worker: o.name, outcome }, 0);
  metrics?.items.inc({ worker: o.name }, 0);
  const maxBackoffMs = o.maxBackoffMs ?? o.intervalMs * 8;
  let stopped = false;
  let nudged = false;
  let wakeUp: (() => void) | undefined;
  /** Ends the wait at once, linger or not (stop). */
  let stopWaiting: (() => void) | undefined;
  const lingerMs = o.lingerMs ?? 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (nudged || stopped) return resolve();
      const done = () => {
        clearTimeout(timer);
        wakeUp = undefined;
        stopWaiting = undefined;
        resolve();
      };
      stopWaiting = done;
      let timer = setTimeout(done, ms);
      wakeUp =
        lingerMs > 0
          ? () => {
              // Only the first wake-up shortens the wait; later ones join the same pass.
              wakeUp = undefined;
              clearTimeout(timer);
              timer = setTimeout(done, lingerMs);
            }
          : done;
    });

  const loop = (async () => {
    let backoff = 0;
    if (!o.runAtStart) await sleep(o.intervalMs);
    while (!stopped) {
      nudged = false;
      const end = metrics?.duration.startTimer({ worker: o.name });
      try {
        const done = await o.pass();
        end?.();
        metrics?.passes.inc({ worker: o.name, outcome: 'ok' });
        if (done > 0) metrics?.items.inc({ worker: o.name }, done);
        backoff = 0;
        const drained = o.batchSize === undefined ? done === 0 : done < o.batchSize;
        if (drained) await sleep(o.intervalMs);
      } catch (err) {
        end?.();
        metrics?.passes.inc({ worker: o.name, outcome: 'error' });
        backoff = Math.min(maxBackoffMs, backoff === 0 ? Math.max(1, Math.round(o.intervalMs / 4)) : backoff * 2);
        o.logger.warn({ err, worker: o.name, retryInMs: backoff }, 'background pass failed');
        await sleep(backoff);
      }
    }
  })();

  return {
    wake() {
      nudged = true;
      wakeUp?.();
    },
    async stop() {
      stopped = true;
      stopWaiting?.();
      await loop;
    },
  };
}
