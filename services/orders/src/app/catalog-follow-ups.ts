import type { Logger } from '@ordersystem/platform';
import { AppError } from '@ordersystem/platform/errors';
import type {
  CatalogTask,
  CatalogTaskRunner,
  CatalogTaskStore,
  InventoryPort,
  OrderMetrics,
  ReservationJournal,
} from './ports.js';

export interface CatalogFollowUpsDeps {
  tasks: CatalogTaskStore;
  journal: ReservationJournal;
  inventory: InventoryPort;
  logger: Logger;
  /** How long a claimed task (or abandoned reservation) is ours before another worker may take it. */
  leaseMs: number;
  /** Upper bound of the delay between two attempts of one failing task. */
  maxBackoffMs: number;
  metrics?: Pick<OrderMetrics, 'followUpFailed'>;
}

/** The catalog follow-ups: run one order's right after its transaction, or sweep whatever is due. */
export interface CatalogFollowUps extends CatalogTaskRunner {
  /**
   * One sweep (the platform worker repeats it): abandoned reservations first, then one batch of
   * due tasks (one per order at a time). Returns how many items it handled.
   */
  pass(): Promise<number>;
  /** Notes an order whose new tasks should run soon, with others noted meanwhile (drainQueued). */
  queue(orderId: string): void;
  /** Runs the queued orders' tasks together: one claim, parallel catalog calls, one delete. */
  drainQueued(): Promise<number>;
}

/** Refusals that retrying cannot fix (e.g. committing a reservation the catalog already expired). */
const PERMANENT = new Set(['failed_precondition', 'invalid_argument', 'not_found']);
const ACTIONS = { commit_reservation: 'commit', release_reservation: 'release', restock_order: 'restock' } as const;
/** Tasks (and abandoned reservations) handled per pass; also how many queued orders run together. */
export const FOLLOW_UP_BATCH = 20;

/**
 * Runs the durable catalog follow-ups (a small second outbox): right after the transaction
 * that created them (runForOrder), and on a timer for whatever failed — with exponential
 * backoff, so a catalog outage delays stock settlement but never loses it. The same pass
 * releases reservations abandoned by placements that died before storing their order.
 */
export function createCatalogFollowUps(deps: CatalogFollowUpsDeps): CatalogFollowUps {
  /** Runs claimed tasks (each is another order's) side by side; returns the ids that are done. */
  async function executeAll(tasks: CatalogTask[]): Promise<string[]> {
    const outcomes = await Promise.all(tasks.map(async (t) => ((await call(t)) ? [t.id] : [])));
    const done = outcomes.flat();
    await deps.tasks.done(done);
    return done;
  }

  /** Calls the catalog for one task; true when it succeeded (the caller deletes it). */
  async function call(task: CatalogTask): Promise<boolean> {
    try {
      await deps.inventory[ACTIONS[task.action]](task.orderId);
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof AppError && PERMANENT.has(err.kind)) {
        deps.logger.error({ err, task }, 'catalog refused a follow-up for good; parked for an operator');
        deps.metrics?.followUpFailed(task.action, 'parked');
        await deps.tasks.fail(task.id, message);
      } else {
        const delay = Math.min(deps.maxBackoffMs, 200 * 2 ** Math.min(task.attempts, 16));
        deps.logger.warn({ err, task, retryInMs: delay }, 'catalog follow-up failed; will retry');
        deps.metrics?.followUpFailed(task.action, 'retry');
        await deps.tasks.retryLater(task.id, delay, message);
      }
      return false;
    }
  }

  async function recoverAbandoned(): Promise<number> {
    const claimed = await deps.journal.claimAbandoned(deps.leaseMs, FOLLOW_UP_BATCH);
    for (const { orderId, token } of claimed) {
      try {
        // Renewed right before the release, so a retry of the placement cannot take the lease
        // over (and reserve again) while we release; gone means a retry already holds it.
        const held = await deps.journal.extend(orderId, token, deps.leaseMs);
        if (held === undefined) continue;
        await deps.inventory.release(orderId);
        await deps.journal.clear(orderId, held);
        deps.logger.info({ orderId }, 'released reservation abandoned by an unfinished placement');
      } catch (err) {
        deps.logger.warn({ err, orderId }, 'could not release abandoned reservation yet');
      }
    }
    return claimed.length;
  }

  /**
   * Best effort: failures stay in the table for the timer pass and are never thrown at the
   * caller. An order's next task is claimable once its predecessor is done, hence the loop.
   */
  async function runFor(orderIds: readonly string[]): Promise<number> {
    let handled = 0;
    try {
      for (;;) {
        const tasks = await deps.tasks.claim(deps.leaseMs, orderIds.length, orderIds);
        if (tasks.length === 0) return handled;
        handled += tasks.length;
        if ((await executeAll(tasks)).length === 0) return handled;
      }
    } catch (err) {
      deps.logger.warn({ err, orderIds }, 'catalog follow-up deferred');
      return handled;
    }
  }

  const queued = new Set<string>();

  return {
    async runForOrder(orderId) {
      await runFor([orderId]);
    },

    queue(orderId) {
      queued.add(orderId);
    },

    async drainQueued() {
      if (queued.size === 0) return 0;
      const orderIds = [...queued].slice(0, FOLLOW_UP_BATCH);
      for (const id of orderIds) queued.delete(id);
      return runFor(orderIds);
    },

    async pass() {
      const recovered = await recoverAbandoned();
      const tasks = await deps.tasks.claim(deps.leaseMs, FOLLOW_UP_BATCH);
      await executeAll(tasks);
      return recovered + tasks.length;
    },
  };
}

/**
 * The placement's runner: a new order's follow-ups (committing its reservation) are queued and
 * run by a worker a moment later, together with the other orders placed meanwhile, so the
 * customer's answer waits for no catalog call, and a burst of orders costs one claim and one
 * delete instead of two commits each. Nothing is lost if the process dies first: the task is in
 * the order's own transaction, and the timer pass runs it after its grace period.
 */
export function queuedRunner(followUps: Pick<CatalogFollowUps, 'queue'>, wake: () => void): CatalogTaskRunner {
  return {
    runForOrder(orderId) {
      followUps.queue(orderId);
      wake();
      return Promise.resolve();
    },
  };
}
