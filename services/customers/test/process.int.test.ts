import { expectHealthyService, infraEnv, startServiceOnFreshSchema } from '@ordersystem/testing';

describe('customers service process', () => {
  let running: Awaited<ReturnType<typeof startServiceOnFreshSchema>>;

  beforeAll(async () => {
    running = await startServiceOnFreshSchema(infraEnv(), 'customers');
  });
  afterAll(() => running?.stop());

  it('answers gRPC health, readiness and metrics', () => expectHealthyService(running.svc));
});
