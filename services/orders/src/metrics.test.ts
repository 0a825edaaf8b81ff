import { pino } from 'pino';
import { Registry } from 'prom-client';
import { consumerLag } from './events/consumer-lag';
import { createOrderMetrics } from './metrics';

const logger = pino({ level: 'silent' });

describe('order metrics', () => {
  it('counts the funnel and reads the outbox age and consumer lag at scrape time', async () => {
    const registry = new Registry();
    const metrics = createOrderMetrics(
      registry,
      {
        currency: 'KES',
        oldestUnsentAge: async () => 12.5,
        consumerLag: async () => [{ group: 'notifications', topic: 'orders.v1.events', lag: 7 }],
      },
      logger,
    );
    metrics.statusChanged('pending');
    metrics.statusChanged('pending');
    metrics.statusChanged('shipped');
    metrics.placed(123_456n, 'KES');
    metrics.followUpFailed('commit_reservation', 'retry');
    const text = await registry.metrics();
    expect(text).toContain('orders_status_changes_total{to="pending"} 2');
    expect(text).toContain('orders_status_changes_total{to="shipped"} 1');
    expect(text).toContain('orders_status_changes_total{to="delivered"} 0');
    expect(text).toContain('orders_placed_value_minor_total{currency="KES"} 123456');
    expect(text).toContain('orders_catalog_followup_failures_total{action="commit_reservation",outcome="retry"} 1');
    expect(text).toContain('orders_outbox_oldest_unsent_age_seconds 12.5');
    expect(text).toContain('orders_notifications_consumer_lag{group="notifications",topic="orders.v1.events"} 7');
  });

  it('still answers a scrape when a source fails', async () => {
    const registry = new Registry();
    createOrderMetrics(
      registry,
      {
        currency: 'KES',
        oldestUnsentAge: () => Promise.reject(new Error('db down')),
        consumerLag: () => Promise.reject(new Error('kafka down')),
      },
      logger,
    );
    await expect(registry.metrics()).resolves.toContain('orders_outbox_oldest_unsent_age_seconds');
  });

  it('answers a scrape while a source hangs, keeping the last value, with one measurement in flight', async () => {
    jest.useFakeTimers();
    try {
      const registry = new Registry();
      let lagCalls = 0;
      let hang = false;
      createOrderMetrics(
        registry,
        {
          currency: 'KES',
          oldestUnsentAge: async () => 3,
          consumerLag: () => {
            lagCalls += 1;
            // A Kafka client retrying a missing topic: no answer for 30 s.
            return hang ? new Promise(() => {}) : Promise.resolve([{ group: 'g', topic: 't', lag: 4 }]);
          },
        },
        logger,
      );
      expect(await registry.metrics()).toContain('orders_notifications_consumer_lag{group="g",topic="t"} 4');
      hang = true;
      for (let scrape = 0; scrape < 3; scrape++) {
        const text = registry.metrics();
        await jest.advanceTimersByTimeAsync(2_000);
        expect(await text).toContain('orders_notifications_consumer_lag{group="g",topic="t"} 4');
      }
      expect(lagCalls).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('consumerLag', () => {
  it('sums log end minus committed offset, counting never-committed partitions from the log start', async () => {
    const admin = {
      fetchTopicOffsets: async () => [
        { partition: 0, low: '0', high: '10', offset: '10' },
        { partition: 1, low: '4', high: '9', offset: '9' },
        { partition: 2, low: '0', high: '3', offset: '3' },
      ],
      fetchOffsets: async () => [
        {
          topic: 't',
          partitions: [
            { partition: 0, offset: '8' },
            { partition: 1, offset: '-1' },
            { partition: 2, offset: '3' },
          ],
        },
      ],
    };
    expect(await consumerLag(admin as never, 't', ['notifications'])).toEqual([
      { group: 'notifications', topic: 't', lag: 2 + 5 + 0 },
    ]);
  });
});
