import { Code } from '@connectrpc/connect';
import { infraEnv, startService, startServiceOnFreshSchema } from '@ordersystem/testing';
import { clients, startCustomers } from './fixtures';

jest.setTimeout(60_000);

describe('customers configuration', () => {
  it('refuses to start in production without an OpenID issuer, client or signing keys', async () => {
    const started = startService('customers', {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      DATABASE_SCHEMA: 'customers',
    });
    await expect(started).rejects.toThrow(/OIDC_ISSUER_URL: required when NODE_ENV=production/);
    await expect(started).rejects.toThrow(/JWT_SIGNING_KEYS: required/);
  });

  it('starts with an unreachable external provider and answers login with unavailable', async () => {
    const running = await startCustomers({ OIDC_ISSUER_URL: 'http://127.0.0.1:1/' });
    try {
      const c = clients(running.svc.port);
      await expect(c.identity.beginLogin({})).rejects.toMatchObject({ code: Code.Unavailable });
      // Only login degrades: no provider is started in its place, and keys are served.
      expect(running.svc.logs.some((l) => String(l.message).includes('local development OpenID provider'))).toBe(false);
      expect(JSON.parse((await c.identity.getJwks({})).jwksJson).keys).toHaveLength(1);
    } finally {
      await running.stop();
    }
  });

  it('starts without OIDC_ISSUER_URL outside production, with login unavailable and everything else served', async () => {
    const running = await startServiceOnFreshSchema(infraEnv(), 'customers', { NODE_ENV: 'development' });
    try {
      const c = clients(running.svc.port);
      await expect(c.identity.beginLogin({})).rejects.toMatchObject({ code: Code.Unavailable });
      expect(running.svc.logs.some((l) => String(l.message).includes('no OIDC_ISSUER_URL'))).toBe(true);
      expect(JSON.parse((await c.identity.getJwks({})).jwksJson).keys).toHaveLength(1);
    } finally {
      await running.stop();
    }
  });
});
