import { Counter, Gauge, type Registry } from 'prom-client';
import { unavailable } from '../errors/app-error.js';
import { perRegistry } from '../metrics.js';

export interface AdmissionOptions {
  /** Names the guarded work in metrics ("place_order"). */
  name: string;
  /** Calls running at once; more wait in line. 0 turns admission off (every call runs at once). */
  maxConcurrent: number;
  /** The longest a call waits for its turn; after that it is refused with `unavailable`. */
  maxWaitMs: number;
  registry?: Registry;
}

export interface Admission {
  /**
   * Runs `work` once fewer than maxConcurrent calls run. A call that waited maxWaitMs is refused
   * (`unavailable`, retryable), and one whose caller gave up (`signal`: deadline or cancel) leaves
   * the line without running.
   */
  run<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T>;
}

interface Waiter {
  admit(): void;
}

const admissionMetrics = perRegistry((registry) => ({
  rejected: new Counter({
    name: 'admission_rejected_total',
    help: 'Calls refused before running: waited too long for a turn (wait), or their caller gave up (cancelled).',
    labelNames: ['work', 'reason'],
    registers: [registry],
  }),
  waiting: new Gauge({
    name: 'admission_waiting',
    help: 'Calls waiting for a turn.',
    labelNames: ['work'],
    registers: [registry],
  }),
  running: new Gauge({
    name: 'admission_running',
    help: 'Calls running.',
    labelNames: ['work'],
    registers: [registry],
  }),
}));

/**
 * Admission control for work whose cost grows with how much of it runs at once (placing an order:
 * database locks, commits, three upstream calls). Past capacity, without it every call slows down
 * until callers time out while the server still finishes their abandoned work: at twice the
 * capacity almost nothing succeeded. With it, a bounded number run at full speed, a short line
 * absorbs bursts, and the rest get a fast, retryable `unavailable`.
 */
export function createAdmission(o: AdmissionOptions): Admission {
  const metrics = o.registry ? admissionMetrics(o.registry) : undefined;
  const labels = { work: o.name };
  for (const reason of ['wait', 'cancelled']) metrics?.rejected.inc({ ...labels, reason }, 0);
  let running = 0;
  const line: Waiter[] = [];
  const report = () => {
    metrics?.running.set(labels, running);
    metrics?.waiting.set(labels, line.length);
  };
  report();

  /** Runs with a slot already taken; when done, the slot passes to the next in line, or is freed. */
  async function holdingSlot<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      const next = line.shift();
      if (next) next.admit();
      else running--;
      report();
    }
  }

  return {
    async run(signal, work) {
      if (o.maxConcurrent <= 0) return work();
      if (running < o.maxConcurrent && line.length === 0) {
        running++;
        report();
        return holdingSlot(work);
      }
      await new Promise<void>((resolve, reject) => {
        const leave = (reason: 'wait' | 'cancelled', err: unknown) => {
          const at = line.indexOf(waiter);
          if (at >= 0) line.splice(at, 1);
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          metrics?.rejected.inc({ ...labels, reason });
          report();
          reject(err);
        };
        const onAbort = () => leave('cancelled', signal!.reason);
        const timer = setTimeout(
          () => leave('wait', unavailable('the service is at capacity; retry shortly')),
          o.maxWaitMs,
        );
        const waiter: Waiter = {
          admit() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        line.push(waiter);
        report();
      });
      return holdingSlot(work);
    },
  };
}
