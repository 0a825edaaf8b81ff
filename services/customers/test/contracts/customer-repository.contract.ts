import { randomUUID } from 'node:crypto';
import type { CustomerRepository } from '../../src/app/ports';
import type { ProviderIdentity } from '../../src/domain/customer';

/**
 * The behaviour every CustomerRepository must have. Run against the PostgreSQL adapter and the
 * in-memory fake, so the fast tests' fake cannot drift from the real thing. `setup` runs before
 * each test and must hand back a repository with no customers.
 */
export function customerRepositoryContract(setup: () => Promise<CustomerRepository>): void {
  let repo: CustomerRepository;
  beforeEach(async () => {
    repo = await setup();
  });

  const person = (over: Partial<ProviderIdentity> = {}): ProviderIdentity => ({
    issuer: 'https://idp.example',
    subject: `sub-${randomUUID()}`,
    email: `${randomUUID().slice(0, 8)}@example.test`,
    emailVerified: true,
    name: 'Ann',
    ...over,
  });
  const signUp = (over: Partial<ProviderIdentity> = {}, grantAdmin = false) =>
    repo.upsertFromLogin(person(over), randomUUID(), grantAdmin);

  it('creates a customer on first login with the customer role, no phone and timestamps', async () => {
    const id = randomUUID();
    const who = person({ name: 'Wanjiru' });
    const created = await repo.upsertFromLogin(who, id, false);
    expect(created).toMatchObject({
      id,
      issuer: who.issuer,
      subject: who.subject,
      email: who.email,
      name: 'Wanjiru',
      phoneNumber: '',
      roles: ['customer'],
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.updatedAt).toBeInstanceOf(Date);
    expect(await repo.findById(id)).toEqual(created);
  });

  it('refreshes email and name on a later login of the same (issuer, subject), keeping id and phone', async () => {
    const who = person();
    const first = await repo.upsertFromLogin(who, randomUUID(), false);
    await repo.updateProfile(first.id, { phoneNumber: '+254712345678' });
    const again = await repo.upsertFromLogin(
      { ...who, email: 'new@example.test', name: 'New Name' },
      randomUUID(),
      false,
    );
    expect(again).toMatchObject({
      id: first.id,
      email: 'new@example.test',
      name: 'New Name',
      phoneNumber: '+254712345678',
    });
    const other = await repo.upsertFromLogin({ ...who, issuer: 'https://other.example' }, randomUUID(), false);
    expect(other.id).not.toBe(first.id);
  });

  it('yields one customer when first logins of the same person race', async () => {
    const who = person();
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => repo.upsertFromLogin(who, randomUUID(), false)));
    expect(new Set(results.map((c) => c.id)).size).toBe(1);
    expect((await repo.list({ query: who.email, limit: 10 })).map((row) => row.customer.id)).toEqual([results[0]!.id]);
  });

  it('adds admin when a login grants it, once, and never removes it on a later plain login', async () => {
    const who = person();
    expect((await repo.upsertFromLogin(who, randomUUID(), true)).roles).toEqual(['customer', 'admin']);
    expect((await repo.upsertFromLogin(who, randomUUID(), true)).roles).toEqual(['customer', 'admin']);
    expect((await repo.upsertFromLogin(who, randomUUID(), false)).roles).toEqual(['customer', 'admin']);
    const later = person();
    await repo.upsertFromLogin(later, randomUUID(), false);
    expect((await repo.upsertFromLogin(later, randomUUID(), true)).roles).toEqual(['customer', 'admin']);
  });

  it('updates only the given profile fields and answers undefined for an unknown id', async () => {
    const ann = await signUp({ name: 'Ann' });
    expect(await repo.updateProfile(ann.id, { phoneNumber: '+254712345678' })).toMatchObject({
      name: 'Ann',
      phoneNumber: '+254712345678',
    });
    expect(await repo.updateProfile(ann.id, { name: 'Ann K' })).toMatchObject({
      name: 'Ann K',
      phoneNumber: '+254712345678',
    });
    expect(await repo.updateProfile(ann.id, { phoneNumber: '' })).toMatchObject({ name: 'Ann K', phoneNumber: '' });
    expect(await repo.updateProfile(randomUUID(), { name: 'Nobody' })).toBeUndefined();
    expect(await repo.findById(randomUUID())).toBeUndefined();
  });

  it('replaces the roles, and answers undefined for an unknown id', async () => {
    const ann = await signUp();
    expect((await repo.setRoles(ann.id, ['customer', 'admin']))?.roles).toEqual(['customer', 'admin']);
    expect((await repo.setRoles(ann.id, ['customer']))?.roles).toEqual(['customer']);
    expect((await repo.findById(ann.id))?.roles).toEqual(['customer']);
    expect(await repo.setRoles(randomUUID(), ['customer'])).toBeUndefined();
  });

  it('lists in creation order in keyset pages strictly after the given position', async () => {
    const made = [];
    for (const name of ['Ann', 'Ben', 'Cid', 'Dee']) made.push(await signUp({ name }));
    const first = await repo.list({ query: '', limit: 2 });
    expect(first.map((row) => row.customer.id)).toEqual([made[0]!.id, made[1]!.id]);
    const rest = await repo.list({ query: '', limit: 10, afterSeq: first[1]!.seq });
    expect(rest.map((row) => row.customer.id)).toEqual([made[2]!.id, made[3]!.id]);
    expect(BigInt(rest[0]!.seq)).toBeGreaterThan(BigInt(first[1]!.seq));
    expect(await repo.list({ query: '', limit: 10, afterSeq: rest[1]!.seq })).toEqual([]);
  });

  it('searches email or name case-insensitively, with LIKE wildcards taken literally', async () => {
    const byName = await signUp({ name: 'Zawadi Achieng' });
    const byEmail = await signUp({ email: 'ZAWADI@shop.example', name: 'Someone' });
    await signUp({ name: 'Unrelated' });
    const literal = await signUp({ name: '50%_off\\deal' });
    await signUp({ name: '500 offers' });
    const ids = async (query: string) => (await repo.list({ query, limit: 10 })).map((row) => row.customer.id);
    expect(await ids('zawadi')).toEqual([byName.id, byEmail.id]);
    expect(await ids('SHOP.EXAMPLE')).toEqual([byEmail.id]);
    expect(await ids('50%_off\\')).toEqual([literal.id]);
    expect(await ids('%')).toEqual([literal.id]);
    expect(await ids('nobody-matches')).toEqual([]);
  });
}
