import { randomUUID } from 'node:crypto';
import { type Client, createClient } from '@connectrpc/connect';
import { ContactService } from '@ordersystem/contracts/ordersystem/customers/v1/contacts';
import { CustomerService, Role } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import { IdentityService } from '@ordersystem/contracts/ordersystem/customers/v1/identity';
import { identityHeaders } from '@ordersystem/platform';
import { inMemoryTransport, rpcFailure } from '@ordersystem/testing';
import { decodeJwt } from 'jose';
import { REDIRECT_URI, TOKEN, memoryCustomers } from '../../test/memory';
import { routes } from '../routes';
import { createAccessTokenVerifier } from '../tokens/verifier';

const as = (customerId: string, roles: Array<'customer' | 'admin'> = ['customer']) => ({
  headers: identityHeaders({ customerId, email: `${customerId}@example.test`, roles }),
});
const ADMIN = as(randomUUID(), ['customer', 'admin']);

describe('customers routes over in-memory ports', () => {
  let world: Awaited<ReturnType<typeof memoryCustomers>>;
  let identity: Client<typeof IdentityService>;
  let customers: Client<typeof CustomerService>;
  let contacts: Client<typeof ContactService>;

  beforeEach(async () => {
    world = await memoryCustomers({ adminEmails: ['boss@example.test'] });
    const transport = inMemoryTransport(routes(world.deps));
    identity = createClient(IdentityService, transport);
    customers = createClient(CustomerService, transport);
    contacts = createClient(ContactService, transport);
  });

  /** BeginLogin → the provider signs the person in → CompleteLogin. */
  const login = async (email: string, name = 'Test User', emailVerified = true) => {
    const begun = await identity.beginLogin({});
    const callbackUrl = world.idp.signIn(begun.authorizationUrl, { email, name, emailVerified });
    return (await identity.completeLogin({ callbackUrl, state: begun.state })).tokens!;
  };
  const signUp = async (name: string) => {
    const email = `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID().slice(0, 6)}@example.test`;
    const tokens = await login(email, name);
    return { id: decodeJwt(tokens.accessToken).sub!, email, tokens };
  };

  describe('IdentityService', () => {
    it('completes a login into a token pair whose access token verifies against GetJwks', async () => {
      const begun = await identity.beginLogin({});
      const url = new URL(begun.authorizationUrl);
      expect(url.searchParams.get('state')).toBe(begun.state);
      expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
      const callbackUrl = world.idp.signIn(begun.authorizationUrl, { email: 'ann@example.test', name: 'Ann' });
      const { tokens } = await identity.completeLogin({ callbackUrl, state: begun.state });
      expect(tokens).toMatchObject({
        tokenType: 'Bearer',
        expiresInSeconds: TOKEN.accessTtlSeconds,
        refreshExpiresInSeconds: TOKEN.refreshTtlSeconds,
      });

      const verify = createAccessTokenVerifier({
        jwks: JSON.parse((await identity.getJwks({})).jwksJson),
        issuer: TOKEN.issuer,
        audience: TOKEN.audience,
        maxTokenAgeSeconds: 3600,
        currentDate: new Date('2026-01-01T00:00:00Z'),
      });
      const claims = await verify(tokens!.accessToken);
      expect(claims).toMatchObject({ email: 'ann@example.test', roles: ['customer'] });
      expect((await customers.getMe({}, as(claims.sub))).customer).toMatchObject({
        email: 'ann@example.test',
        name: 'Ann',
      });
    });

    it('grants admin only to a provider-verified configured email', async () => {
      expect(decodeJwt((await login('boss@example.test', 'Boss', false)).accessToken).roles).toEqual(['customer']);
      expect(decodeJwt((await login('boss@example.test', 'Boss', true)).accessToken).roles).toEqual([
        'customer',
        'admin',
      ]);
    });

    it('refuses a redirect URI off the allow-list on redirect_uri', async () => {
      expect(await rpcFailure(identity.beginLogin({ redirectUri: 'https://evil.example/auth/callback' }))).toEqual({
        code: 'InvalidArgument',
        fields: ['redirect_uri'],
      });
    });

    it('refuses a callback without state, with a relative URL, or with an unknown or replayed state', async () => {
      const begun = await identity.beginLogin({});
      const callbackUrl = world.idp.signIn(begun.authorizationUrl, { email: 'ann@example.test' });
      expect(await rpcFailure(identity.completeLogin({ callbackUrl, state: '' }))).toEqual({
        code: 'InvalidArgument',
        fields: ['state'],
      });
      expect(
        await rpcFailure(identity.completeLogin({ callbackUrl: '/auth/callback?code=x', state: begun.state })),
      ).toEqual({ code: 'InvalidArgument', fields: ['callback_url'] });
      expect(await rpcFailure(identity.completeLogin({ callbackUrl, state: 'never-issued' }))).toEqual({
        code: 'FailedPrecondition',
        fields: ['state'],
      });
      await identity.completeLogin({ callbackUrl, state: begun.state });
      expect(await rpcFailure(identity.completeLogin({ callbackUrl, state: begun.state }))).toEqual({
        code: 'FailedPrecondition',
        fields: ['state'],
      });
    });

    it('refuses an expired login attempt and a code the provider does not recognise', async () => {
      const late = await identity.beginLogin({});
      const lateCallback = world.idp.signIn(late.authorizationUrl, { email: 'ann@example.test' });
      world.advance(601);
      expect(await rpcFailure(identity.completeLogin({ callbackUrl: lateCallback, state: late.state }))).toEqual({
        code: 'FailedPrecondition',
        fields: ['state'],
      });
      const begun = await identity.beginLogin({});
      expect(
        await rpcFailure(
          identity.completeLogin({
            callbackUrl: `${REDIRECT_URI}?code=forged&state=${begun.state}`,
            state: begun.state,
          }),
        ),
      ).toEqual({ code: 'FailedPrecondition', fields: ['callback_url'] });
    });

    it('rotates refresh tokens; reusing a spent one is unauthenticated and revokes the family', async () => {
      const first = await login('ann@example.test');
      const { tokens: second } = await identity.refreshTokens({ refreshToken: first.refreshToken });
      expect(second!.refreshToken).not.toBe(first.refreshToken);
      expect((await rpcFailure(identity.refreshTokens({ refreshToken: first.refreshToken }))).code).toBe(
        'Unauthenticated',
      );
      expect((await rpcFailure(identity.refreshTokens({ refreshToken: second!.refreshToken }))).code).toBe(
        'Unauthenticated',
      );
    });

    it('refuses empty, unknown and expired refresh tokens with unauthenticated', async () => {
      expect((await rpcFailure(identity.refreshTokens({ refreshToken: '' }))).code).toBe('Unauthenticated');
      expect((await rpcFailure(identity.refreshTokens({ refreshToken: 'x'.repeat(43) }))).code).toBe('Unauthenticated');
      const pair = await login('ann@example.test');
      world.advance(TOKEN.refreshTtlSeconds + 1);
      expect((await rpcFailure(identity.refreshTokens({ refreshToken: pair.refreshToken }))).code).toBe(
        'Unauthenticated',
      );
    });

    it('logout revokes the family, is idempotent and ignores unknown tokens', async () => {
      const pair = await login('ann@example.test');
      await identity.logout({ refreshToken: pair.refreshToken });
      await identity.logout({ refreshToken: pair.refreshToken });
      await identity.logout({ refreshToken: 'never-issued' });
      await identity.logout({ refreshToken: '' });
      expect((await rpcFailure(identity.refreshTokens({ refreshToken: pair.refreshToken }))).code).toBe(
        'Unauthenticated',
      );
    });
  });

  describe('CustomerService', () => {
    it('GetMe and UpdateMe refuse calls without an identity', async () => {
      expect((await rpcFailure(customers.getMe({}))).code).toBe('Unauthenticated');
      expect((await rpcFailure(customers.updateMe({ name: 'x' }))).code).toBe('Unauthenticated');
    });

    it('GetMe answers not_found for an identity with no customer', async () => {
      expect((await rpcFailure(customers.getMe({}, as(randomUUID())))).code).toBe('NotFound');
    });

    it('UpdateMe normalises the phone to E.164 and names the field of a bad phone or name', async () => {
      const ann = await signUp('Ann');
      expect(
        (await customers.updateMe({ phoneNumber: '0712 345 678', name: '  Ann K  ' }, as(ann.id))).customer,
      ).toMatchObject({ phoneNumber: '+254712345678', name: 'Ann K' });
      expect(await rpcFailure(customers.updateMe({ phoneNumber: '12345' }, as(ann.id)))).toEqual({
        code: 'InvalidArgument',
        fields: ['phone_number'],
      });
      expect(await rpcFailure(customers.updateMe({ name: ' ' }, as(ann.id)))).toEqual({
        code: 'InvalidArgument',
        fields: ['name'],
      });
      expect(await rpcFailure(customers.updateMe({ name: 'x'.repeat(201) }, as(ann.id)))).toEqual({
        code: 'InvalidArgument',
        fields: ['name'],
      });
      expect((await customers.updateMe({}, as(ann.id))).customer?.phoneNumber).toBe('+254712345678');
      expect((await customers.updateMe({ phoneNumber: '' }, as(ann.id))).customer?.phoneNumber).toBe('');
      expect((await rpcFailure(customers.updateMe({ name: 'Ghost' }, as(randomUUID())))).code).toBe('NotFound');
    });

    it('refuses the admin methods to a customer with permission_denied and to anonymous callers with unauthenticated', async () => {
      const ann = await signUp('Ann');
      for (const call of [
        () => customers.listCustomers({}, as(ann.id)),
        () => customers.getCustomer({ id: ann.id }, as(ann.id)),
        () => customers.setCustomerRoles({ id: ann.id, roles: [Role.ADMIN] }, as(ann.id)),
      ]) {
        expect((await rpcFailure(call())).code).toBe('PermissionDenied');
      }
      expect(await rpcFailure(customers.listCustomers({}))).toEqual({ code: 'Unauthenticated', fields: [] });
      expect(await rpcFailure(customers.getCustomer({ id: ann.id }))).toEqual({ code: 'Unauthenticated', fields: [] });
    });

    it('GetCustomer reads any customer for an admin; unknown and malformed ids are not_found', async () => {
      const ann = await signUp('Ann');
      expect((await customers.getCustomer({ id: ann.id }, ADMIN)).customer?.email).toBe(ann.email);
      expect((await rpcFailure(customers.getCustomer({ id: randomUUID() }, ADMIN))).code).toBe('NotFound');
      expect((await rpcFailure(customers.getCustomer({ id: 'not-a-uuid' }, ADMIN))).code).toBe('NotFound');
    });

    it('SetCustomerRoles replaces roles, always keeps customer, and names a bad role by index', async () => {
      const ann = await signUp('Ann');
      expect((await customers.setCustomerRoles({ id: ann.id, roles: [Role.ADMIN] }, ADMIN)).customer?.roles).toEqual([
        Role.CUSTOMER,
        Role.ADMIN,
      ]);
      expect((await customers.setCustomerRoles({ id: ann.id, roles: [] }, ADMIN)).customer?.roles).toEqual([
        Role.CUSTOMER,
      ]);
      expect(
        await rpcFailure(customers.setCustomerRoles({ id: ann.id, roles: [Role.ADMIN, Role.UNSPECIFIED] }, ADMIN)),
      ).toEqual({ code: 'InvalidArgument', fields: ['roles[1]'] });
      expect((await rpcFailure(customers.setCustomerRoles({ id: randomUUID(), roles: [] }, ADMIN))).code).toBe(
        'NotFound',
      );
    });

    it('lists page by page with a search, and binds the page token to its query', async () => {
      const people = [await signUp('Ann Tag'), await signUp('Ben Tag'), await signUp('Cid Tag'), await signUp('Other')];
      const first = await customers.listCustomers({ query: 'tag', pageSize: 2 }, ADMIN);
      expect(first.customers.map((c) => c.id)).toEqual([people[0]!.id, people[1]!.id]);
      const second = await customers.listCustomers(
        { query: 'tag', pageSize: 2, pageToken: first.nextPageToken },
        ADMIN,
      );
      expect(second.customers.map((c) => c.id)).toEqual([people[2]!.id]);
      expect(second.nextPageToken).toBe('');
      expect((await customers.listCustomers({}, ADMIN)).customers).toHaveLength(4);

      expect(
        await rpcFailure(customers.listCustomers({ query: 'other', pageToken: first.nextPageToken }, ADMIN)),
      ).toEqual({ code: 'InvalidArgument', fields: ['page_token'] });
      expect(await rpcFailure(customers.listCustomers({ pageToken: 'garbage' }, ADMIN))).toEqual({
        code: 'InvalidArgument',
        fields: ['page_token'],
      });
    });

    it('refuses a page size over 100 and a query over 200 characters on their fields', async () => {
      expect(await rpcFailure(customers.listCustomers({ pageSize: 101 }, ADMIN))).toEqual({
        code: 'InvalidArgument',
        fields: ['page_size'],
      });
      expect(await rpcFailure(customers.listCustomers({ query: 'q'.repeat(201) }, ADMIN))).toEqual({
        code: 'InvalidArgument',
        fields: ['query'],
      });
      expect((await customers.listCustomers({ pageSize: 100 }, ADMIN)).customers).toEqual([]);
    });
  });

  describe('ContactService', () => {
    it('returns name, email and phone of a customer, and not_found for an unknown id', async () => {
      const ann = await signUp('Ann');
      await customers.updateMe({ phoneNumber: '+254712345678' }, as(ann.id));
      expect((await contacts.getContact({ customerId: ann.id })).contact).toMatchObject({
        customerId: ann.id,
        name: 'Ann',
        email: ann.email,
        phoneNumber: '+254712345678',
      });
      expect((await rpcFailure(contacts.getContact({ customerId: randomUUID() }))).code).toBe('NotFound');
    });
  });
});
