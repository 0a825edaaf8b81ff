import { createTestSchema, infraEnv, startService } from '@ordersystem/testing';
import {
  REDIRECT_URI,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  anEmail,
  clients,
  login,
  startOidcProvider,
  verifierFor,
} from './fixtures';

jest.setTimeout(60_000);

describe('development signing keys', () => {
  it('survive a restart, so tokens issued before it still verify', async () => {
    const schema = await createTestSchema(infraEnv(), 'customers');
    const oidc = await startOidcProvider();
    const env = {
      DATABASE_URL: schema.url,
      DATABASE_SCHEMA: schema.schema,
      MIGRATE_ON_START: 'true',
      OIDC_ISSUER_URL: oidc.issuer,
      OIDC_REDIRECT_URI: REDIRECT_URI,
      TOKEN_ISSUER,
      TOKEN_AUDIENCE,
    };
    try {
      const first = await startService('customers', env);
      const c1 = clients(first.port);
      const tokens = await login(c1, { email: anEmail(), name: 'Before Restart' });
      const { jwksJson: before } = await c1.identity.getJwks({});
      expect(await first.stop()).toBe(0);

      const second = await startService('customers', env);
      try {
        const c2 = clients(second.port);
        const { jwksJson: after } = await c2.identity.getJwks({});
        expect(after).toBe(before);
        await expect((await verifierFor(c2))(tokens.accessToken)).resolves.toMatchObject({ email: expect.any(String) });
        // The refresh token issued before the restart is still good too.
        await expect(c2.identity.refreshTokens({ refreshToken: tokens.refreshToken })).resolves.toBeDefined();
      } finally {
        await second.stop();
      }
    } finally {
      await oidc.close();
      await schema.drop();
    }
  });
});
