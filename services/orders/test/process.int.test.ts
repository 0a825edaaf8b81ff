import {
  expectAliveNotReadyWhileStarting,
  expectHealthyService,
  infraEnv,
  startServiceOnFreshSchema,
  startSilentDependency,
} from '@ordersystem/testing';

// testTimeout is not applied per project by jest, so it is set here (three real processes start per file).
jest.setTimeout(90_000);

describe('orders service process', () => {
  let running: Awaited<ReturnType<typeof startServiceOnFreshSchema>>;

  beforeAll(async () => {
    const infra = infraEnv();
    // Health does not depend on the upstreams: readiness covers only the database, so a
    // catalog or Kafka outage never takes the orders service out of the load balancer.
    running = await startServiceOnFreshSchema(infra, 'orders', {
      CATALOG_URL: 'http://127.0.0.1:9',
      CUSTOMERS_URL: 'http://127.0.0.1:9',
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      ORDER_EVENTS_TOPIC: `orders-process-test-${process.pid}`,
    });
  });
  afterAll(() => running?.stop());

  it('answers gRPC health, readiness and metrics', () => expectHealthyService(running.svc));
});

describe('orders service start-up', () => {
  it('answers probes, alive and not ready, while PostgreSQL does not answer yet', async () => {
    const postgres = await startSilentDependency();
    try {
      await expectAliveNotReadyWhileStarting('orders', {
        DATABASE_URL: postgres.url('postgresql'),
        DATABASE_SCHEMA: 'orders',
        // Migrating at start is what waits for PostgreSQL (the pool itself connects lazily).
        MIGRATE_ON_START: 'true',
        CATALOG_URL: 'http://127.0.0.1:9',
        CUSTOMERS_URL: 'http://127.0.0.1:9',
        KAFKA_BROKERS: '127.0.0.1:9',
      });
    } finally {
      postgres.close();
    }
  });
});
