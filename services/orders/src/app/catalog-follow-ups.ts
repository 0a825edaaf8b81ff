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
}

/** Refusals that retrying cannot fix (e.g. committing a reservation the catalog already expired). */
const PERMANENT = new Set(['failed_precondition', 'invalid_argument', 'not_found']);
const ACTIONS = { commit_reservation: 'commit', release_reservation: 'release', restock_order: 'restock' } as const;
const BATCH = 20;

/**
 * Runs the durable catalog follow-ups (a small second outbox): right after the transaction
 * that created them (runForOrder), and on a timer for whatever failed — with exponential
 * backoff, so a catalog outage delays stock settlement but never loses it. The same pass
 * releases reservations abandoned by placements that died before storing their order.
 */
export function createCatalogFollowUps(deps: CatalogFollowUpsDeps): CatalogFollowUps {
  /** Calls the catalog for one task; true when it is done. */
  async function execute(task: CatalogTask): Promise<boolean> {
    try {
      await deps.inventory[ACTIONS[task.action]](task.orderId);
      await deps.tasks.done(task.id);
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
    const claimed = await deps.journal.claimAbandoned(deps.leaseMs, BATCH);
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

  return {
    /** Best effort: failures stay queued for the timer pass and are never thrown at the caller. */
    async runForOrder(orderId) {
      try {
        for (;;) {
          const [task] = await deps.tasks.claim(deps.leaseMs, 1, orderId);
          if (!task || !(await execute(task))) return;
        }
      } catch (err) {
        deps.logger.warn({ err, orderId }, 'catalog follow-up deferred');
      }
    },

    async pass() {
      const recovered = await recoverAbandoned();
      const tasks = await deps.tasks.claim(deps.leaseMs, BATCH);
      for (const task of tasks) await execute(task);
      return recovered + tasks.length;
    },
  };
}

/**
 * The placement's runner: a new order's follow-ups (committing its reservation) start right after
 * the order is stored but are not waited for, so the customer's answer does not include a catalog
 * call and two more commits. Nothing is lost by not waiting: the task is in the order's own
 * transaction, and the timer pass runs whatever this run did not finish.
 */
export function inBackground(runner: CatalogTaskRunner): CatalogTaskRunner {
  return {
    runForOrder(orderId) {
      void runner.runForOrder(orderId);
      return Promise.resolve();
    },
  };
}
