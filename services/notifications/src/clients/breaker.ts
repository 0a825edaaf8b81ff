import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import type { Sender } from '../app/ports.js';
import { DeliveryFailure, type Notification } from '../domain/notification.js';
import type { NotificationMetrics } from '../metrics.js';

export interface BreakerOptions {
  errorThresholdPercentage: number;
  volumeThreshold: number;
  resetTimeout: number;
}

const STATE = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * Wraps a provider in an opossum circuit breaker and times every call. While the breaker is
 * open, calls fail fast with a `circuit-open` DeliveryFailure carrying the cool-down, so the
 * dispatcher reschedules the row instead of counting an attempt. Permanent errors (a bad
 * number) say nothing about the provider's health and do not count towards opening.
 */
export function withBreaker(
  provider: string,
  channel: Notification['channel'],
  sender: Sender,
  options: BreakerOptions,
  metrics: NotificationMetrics,
  logger: Logger,
): Sender {
  const breaker = new CircuitBreaker((n: Notification) => sender.send(n), {
    ...options,
    timeout: false,
    errorFilter: (err: unknown) => err instanceof DeliveryFailure && err.kind === 'permanent',
  });
  const gauge = (state: keyof typeof STATE) => () => {
    metrics.breakerState.set({ provider }, STATE[state]);
    logger.warn({ provider, breaker: state }, `circuit breaker ${state}`);
  };
  metrics.breakerState.set({ provider }, STATE.closed);
  breaker.on('open', gauge('open'));
  breaker.on('halfOpen', gauge('halfOpen'));
  breaker.on('close', gauge('closed'));

  return {
    async send(n) {
      const stop = metrics.providerLatency.startTimer({ channel });
      try {
        const result = (await breaker.fire(n)) as { providerMessageId: string };
        stop({ outcome: 'ok' });
        return result;
      } catch (err) {
        const failure =
          (err as { code?: string }).code === 'EOPENBREAKER'
            ? new DeliveryFailure('circuit-open', `${provider} circuit breaker is open`, options.resetTimeout)
            : err;
        stop({ outcome: failure instanceof DeliveryFailure ? failure.kind : 'transient' });
        throw failure;
      }
    },
  };
}
