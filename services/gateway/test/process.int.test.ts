import { expectHealthyService, startService, type RunningService } from '@ordersystem/testing';

describe('gateway process', () => {
  let svc: RunningService;

  beforeAll(async () => {
    svc = await startService('gateway', {});
  });
  afterAll(async () => expect(await svc?.stop()).toBe(0));

  it('answers gRPC health, readiness and metrics', () => expectHealthyService(svc));
});
