import { expectHealthyService, infraEnv, startServiceOnFreshSchema } from '@ordersystem/testing';

describe('catalog service process', () => {
  let running: Awaited<ReturnType<typeof startServiceOnFreshSchema>>;

  beforeAll(async () => {
    running = await startServiceOnFreshSchema(infraEnv(), 'catalog', { REDIS_URL: infraEnv().redisUrl });
  });
  afterAll(() => running?.stop());

  it('answers gRPC health, readiness (database and Redis) and metrics', () => expectHealthyService(running.svc));
});
