import { isDatabaseUnavailable } from '@ordersystem/platform';
import type { Logger } from 'pino';
import type { FailureOutcome, Notification } from '../domain/notification.js';
import type { NotificationStore } from './ports.js';

/** A provider's answer to one send, as it must end up in the row. */
export type DeliveryOutcome =
  | { kind: 'sent'; providerMessageId: string }
  /** `circuitOpen`: the breaker answered for the provider, so no attempt counts and no retry is reported. */
  | { kind: 'failure'; failure: FailureOutcome; circuitOpen: boolean };

export interface OutcomeRecorderOptions {
  store: NotificationStore;
  logger: Logger;
  /** Runs once an outcome is stored (metrics, dead letters); never before, so nothing is announced twice. */
  onRecorded(n: Notification, outcome: DeliveryOutcome): Promise<void>;
  /** Waits between writes while the database is unavailable; after the last one the outcome stays in memory. */
  retryDelaysMs?: readonly number[];
}

export interface OutcomeRecorder {
  /** Stores the outcome, retrying through a database blip; if that fails, keeps it for flush(). Never throws. */
  record(n: Notification, outcome: DeliveryOutcome): Promise<void>;
  /** Stores the outcomes kept in memory; throws (keeping what is left) while the database still fails. */
  flush(): Promise<number>;
  /** flush() with retries, for shutdown; logs and throws for every outcome that could not be stored. */
  drain(): Promise<void>;
  pendingCount(): number;
}

const DEFAULT_RETRY_DELAYS_MS = [50, 200, 800];

/**
 * Once the provider has answered, the answer is the truth and must reach the row: losing it leaves
 * the row `sending`, and an expired lease then reads as "unknown outcome" although it is known.
 * A lost connection is retried with backoff; if the database stays away, the outcome waits in
 * memory and the dispatcher stores it before it does anything else (in particular before it
 * expires leases), so this process never dead-letters a row whose outcome it knows.
 */
export function createOutcomeRecorder(o: OutcomeRecorderOptions): OutcomeRecorder {
  const delays = o.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const pending = new Map<string, { n: Notification; outcome: DeliveryOutcome }>();

  const write = (n: Notification, outcome: DeliveryOutcome): Promise<void> =>
    outcome.kind === 'sent'
      ? o.store.markSent(n.id, outcome.providerMessageId)
      : o.store.markFailure(n.id, outcome.failure);

  async function writeWithRetry(n: Notification, outcome: DeliveryOutcome): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write(n, outcome);
      } catch (err) {
        const delay = delays[attempt];
        if (delay === undefined || !isDatabaseUnavailable(err)) throw err;
        o.logger.warn(
          { err, notificationId: n.id, outcome: outcome.kind, retryInMs: delay },
          'database unavailable while recording a delivery outcome; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async function storeKept(retry: boolean): Promise<number> {
    let stored = 0;
    for (const [id, { n, outcome }] of pending) {
      await (retry ? writeWithRetry(n, outcome) : write(n, outcome));
      pending.delete(id);
      stored += 1;
      o.logger.info({ notificationId: id, outcome: outcome.kind }, 'delivery outcome kept in memory is now recorded');
      await o.onRecorded(n, outcome);
    }
    return stored;
  }

  return {
    async record(n, outcome) {
      try {
        await writeWithRetry(n, outcome);
      } catch (err) {
        pending.set(n.id, { n, outcome });
        o.logger.error(
          { err, notificationId: n.id, ...describe(outcome) },
          'delivery outcome not recorded yet; kept in memory and retried before the next dispatch',
        );
        return;
      }
      await o.onRecorded(n, outcome);
    },
    flush: () => storeKept(false),
    async drain() {
      try {
        await storeKept(true);
      } catch (err) {
        for (const { n, outcome } of pending.values())
          o.logger.error(
            { notificationId: n.id, ...describe(outcome) },
            'delivery outcome lost at shutdown; the row will be dead-lettered as unknown-outcome',
          );
        throw new Error(`${pending.size} delivery outcome(s) could not be recorded before shutdown`, { cause: err });
      }
    },
    pendingCount: () => pending.size,
  };
}

function describe(outcome: DeliveryOutcome) {
  return outcome.kind === 'sent'
    ? { outcome: 'sent', providerMessageId: outcome.providerMessageId }
    : { outcome: outcome.failure.status, error: outcome.failure.error };
}
