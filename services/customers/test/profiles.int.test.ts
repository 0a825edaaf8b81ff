import { randomUUID } from 'node:crypto';
import { Code, ConnectError } from '@connectrpc/connect';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { Role } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import {
  type Clients,
  type Running,
  anEmail,
  as,
  asAdmin,
  clients,
  login,
  startCustomers,
  verifierFor,
} from './fixtures';

jest.setTimeout(60_000);

describe('profiles', () => {
  let running: Running;
  let c: Clients;
  const tag = `tag${randomUUID().slice(0, 6)}`;
  let alice: { customerId: string; email: string };
  let bob: { customerId: string; email: string };

  const signUp = async (name: string) => {
    const email = anEmail();
    const verify = await verifierFor(c);
    const claims = await verify((await login(c, { email, name })).accessToken);
    return { customerId: claims.sub, email };
  };
  const violations = (err: unknown) =>
    ConnectError.from(err)
      .findDetails(BadRequestSchema)
      .flatMap((d) => d.fieldViolations.map((v) => v.field));

  beforeAll(async () => {
    running = await startCustomers({ PHONE_DEFAULT_REGION: 'KE' });
    c = clients(running.svc.port);
    alice = await signUp(`Alice ${tag}`);
    bob = await signUp(`Bob ${tag}`);
  });
  afterAll(() => running?.stop());

  it('GetMe returns the caller and only the caller', async () => {
    const { customer: me } = await c.customers.getMe({}, as(alice));
    expect(me).toMatchObject({ id: alice.customerId, email: alice.email, roles: [Role.CUSTOMER] });
    const { customer: other } = await c.customers.getMe({}, as(bob));
    expect(other?.id).toBe(bob.customerId);
    await expect(c.customers.getMe({})).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(c.customers.getMe({}, as({ customerId: randomUUID() }))).rejects.toMatchObject({
      code: Code.NotFound,
    });
  });

  it('UpdateMe normalises the phone number to E.164, clears it with an empty string and validates the name', async () => {
    const alice = await signUp('Alice Updating');
    const { customer } = await c.customers.updateMe({ phoneNumber: '0712 345 678', name: '  Alice K  ' }, as(alice));
    expect(customer).toMatchObject({ phoneNumber: '+254712345678', name: 'Alice K' });
    const { customer: unchanged } = await c.customers.updateMe({}, as(alice));
    expect(unchanged?.phoneNumber).toBe('+254712345678');

    const bad = await c.customers.updateMe({ phoneNumber: '12345' }, as(alice)).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: Code.InvalidArgument });
    expect(violations(bad)).toEqual(['phone_number']);
    const badName = await c.customers.updateMe({ name: ' ' }, as(alice)).catch((e: unknown) => e);
    expect(violations(badName)).toEqual(['name']);
    await expect(c.customers.updateMe({ name: 'x'.repeat(201) }, as(alice))).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });

    const { customer: cleared } = await c.customers.updateMe({ phoneNumber: '' }, as(alice));
    expect(cleared?.phoneNumber).toBe('');
    // Bob's profile was never touched by Alice's calls.
    expect((await c.customers.getMe({}, as(bob))).customer?.name).toBe(`Bob ${tag}`);
  });

  it('refuses admin methods to a customer with permission_denied', async () => {
    const denied = { code: Code.PermissionDenied };
    await expect(c.customers.listCustomers({}, as(alice))).rejects.toMatchObject(denied);
    await expect(c.customers.getCustomer({ id: bob.customerId }, as(alice))).rejects.toMatchObject(denied);
    await expect(
      c.customers.setCustomerRoles({ id: alice.customerId, roles: [Role.ADMIN] }, as(alice)),
    ).rejects.toMatchObject(denied);
    await expect(c.customers.getCustomer({ id: bob.customerId })).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it('lets an admin read any customer; unknown or malformed ids are not_found', async () => {
    const { customer } = await c.customers.getCustomer({ id: bob.customerId }, asAdmin());
    expect(customer?.email).toBe(bob.email);
    await expect(c.customers.getCustomer({ id: randomUUID() }, asAdmin())).rejects.toMatchObject({
      code: Code.NotFound,
    });
    await expect(c.customers.getCustomer({ id: 'not-a-uuid' }, asAdmin())).rejects.toMatchObject({
      code: Code.NotFound,
    });
  });

  it('lists customers page by page with a search on name or email', async () => {
    const listTag = `list${randomUUID().slice(0, 6)}`;
    const people = [];
    for (const name of ['Ann', 'Ben', 'Cid']) people.push(await signUp(`${name} ${listTag}`));
    const seen: string[] = [];
    let pageToken = '';
    do {
      const page = await c.customers.listCustomers({ query: listTag.toUpperCase(), pageSize: 2, pageToken }, asAdmin());
      expect(page.customers.length).toBeLessThanOrEqual(2);
      seen.push(...page.customers.map((x) => x.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual(people.map((p) => p.customerId));

    const byEmail = await c.customers.listCustomers({ query: bob.email }, asAdmin());
    expect(byEmail.customers.map((x) => x.id)).toEqual([bob.customerId]);
    // LIKE wildcards are literal: "%" and "_" match nobody here.
    expect((await c.customers.listCustomers({ query: '%_%' }, asAdmin())).customers).toEqual([]);
  });

  it('rejects oversized pages and foreign or forged page tokens', async () => {
    const tooBig = await c.customers.listCustomers({ pageSize: 101 }, asAdmin()).catch((e: unknown) => e);
    expect(violations(tooBig)).toEqual(['page_size']);
    const first = await c.customers.listCustomers({ query: tag, pageSize: 1 }, asAdmin());
    await expect(
      c.customers.listCustomers({ query: 'other', pageToken: first.nextPageToken }, asAdmin()),
    ).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(c.customers.listCustomers({ pageToken: 'garbage' }, asAdmin())).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });
  });

  it('lets an admin grant and revoke the admin role; customer always stays', async () => {
    const bob = await signUp('Bob Promoted');
    const { customer } = await c.customers.setCustomerRoles({ id: bob.customerId, roles: [Role.ADMIN] }, asAdmin());
    expect(customer?.roles).toEqual([Role.CUSTOMER, Role.ADMIN]);
    const { customer: revoked } = await c.customers.setCustomerRoles({ id: bob.customerId, roles: [] }, asAdmin());
    expect(revoked?.roles).toEqual([Role.CUSTOMER]);
    await expect(
      c.customers.setCustomerRoles({ id: bob.customerId, roles: [Role.UNSPECIFIED] }, asAdmin()),
    ).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });
    await expect(c.customers.setCustomerRoles({ id: randomUUID(), roles: [] }, asAdmin())).rejects.toMatchObject({
      code: Code.NotFound,
    });
  });

  it('gives other services the contact details of a customer', async () => {
    const erin = await signUp('Erin Reachable');
    await c.customers.updateMe({ phoneNumber: '+1 (415) 555-0132' }, as(erin));
    const { contact } = await c.contacts.getContact({ customerId: erin.customerId });
    expect(contact).toMatchObject({
      customerId: erin.customerId,
      name: 'Erin Reachable',
      email: erin.email,
      phoneNumber: '+14155550132',
    });
    await expect(c.contacts.getContact({ customerId: randomUUID() })).rejects.toMatchObject({ code: Code.NotFound });
  });
});
