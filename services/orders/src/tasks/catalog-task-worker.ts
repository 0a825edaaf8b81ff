import type { Logger } from '@ordersystem/platform';
import { AppError } from '@ordersystem/platform/errors';
import type { CatalogTaskRunner, InventoryPort, ReservationJournal } from '../app/ports.js';
import type { CatalogTask, PgCatalogTaskStore } from '../db/catalog-task-store.js';

export interface CatalogTaskWorkerOptions {
  store: Pick<PgCatalogTaskStore, 'claim' | 'done' | 'retryLater' | 'fail'>;
  journal: ReservationJournal;
  inventory: InventoryPort;
  logger: Logger;
  /** How long a claimed task (or abandoned reservation) is ours before another worker may take it. */
  leaseMs: number;
  pollMs: number;
  maxBackoffMs: number;
}

/** Refusals that retrying cannot fix (e.g. committing a reservation the catalog already expired). */
const PERMANENT = new Set(['failed_precondition', 'invalid_argument', 'not_found']);

/**
 * Runs the durable catalog follow-ups (a small second outbox): right after the transaction
 * that created them (runForOrder), and on a timer for whatever failed — with exponential
 * backoff, so a catalog outage delays stock settlement but never loses it. The same loop
 * releases reservations abandoned by placements that died before storing their order.
 */
export class CatalogTaskWorker implements CatalogTaskRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: CatalogTaskWorkerOptions) {}

  /** Best effort: failures stay queued for the timer loop and are never thrown at the caller. */
  async runForOrder(orderId: string): Promise<void> {
    try {
      for (;;) {
        const [task] = await this.o.store.claim(this.o.leaseMs, 1, orderId);
        if (!task || !(await this.execute(task))) return;
      }
    } catch (err) {
      this.o.logger.warn({ err, orderId }, 'catalog follow-up deferred');
    }
  }

  /** Starts the loop; the first pass (start-up recovery) runs at once. */
  start(): void {
    const tick = async () => {
      this.running = this.pass().catch((err: unknown) => this.o.logger.warn({ err }, 'catalog task pass failed'));
      await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.o.pollMs);
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One sweep: abandoned reservations first, then every due task (one per order at a time). */
  async pass(): Promise<void> {
    await this.recoverAbandoned();
    for (let round = 0; round < 50 && !this.stopped; round++) {
      const tasks = await this.o.store.claim(this.o.leaseMs, 20);
      if (tasks.length === 0) return;
      for (const task of tasks) await this.execute(task);
    }
  }

  private async recoverAbandoned(): Promise<void> {
    for (const orderId of await this.o.journal.claimAbandoned(this.o.leaseMs, 20)) {
      try {
        await this.o.inventory.release(orderId);
        await this.o.journal.clear(orderId);
        this.o.logger.info({ orderId }, 'released reservation abandoned by an unfinished placement');
      } catch (err) {
        this.o.logger.warn({ err, orderId }, 'could not release abandoned reservation yet');
      }
    }
  }

  /** Calls the catalog for one task; true when it is done. */
  private async execute(task: CatalogTask): Promise<boolean> {
    try {
      await this.o.inventory[ACTIONS[task.action]](task.orderId);
      await this.o.store.done(task.id);
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof AppError && PERMANENT.has(err.kind)) {
        this.o.logger.error({ err, task }, 'catalog refused a follow-up for good; parked for an operator');
        await this.o.store.fail(task.id, message);
      } else {
        const delay = Math.min(this.o.maxBackoffMs, 200 * 2 ** Math.min(task.attempts, 16));
        this.o.logger.warn({ err, task, retryInMs: delay }, 'catalog follow-up failed; will retry');
        await this.o.store.retryLater(task.id, delay, message);
      }
      return false;
    }
  }
}

const ACTIONS = { commit_reservation: 'commit', release_reservation: 'release', restock_order: 'restock' } as const;
