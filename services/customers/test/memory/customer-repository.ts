import type { CustomerRepository } from '../../src/app/ports';
import type { Customer } from '../../src/domain/customer';

/**
 * CustomerRepository in memory, for the fast tests. It keeps the PostgreSQL adapter's rules (one
 * customer per (issuer, subject), admin only ever added on login, creation-order keyset pages,
 * case-insensitive literal search on email or name); the contract suite holds both to them.
 */
export function createMemoryCustomerRepository(
  clock: () => Date = () => new Date(),
): CustomerRepository & { all(): Customer[] } {
  const rows: Array<{ seq: number; customer: Customer }> = [];
  let nextSeq = 1;
  const byId = (id: string) => rows.find((row) => row.customer.id === id);
  const copy = (customer: Customer): Customer => ({ ...customer, roles: [...customer.roles] });
  const change = (id: string, apply: (customer: Customer) => void) => {
    const row = byId(id);
    if (!row) return Promise.resolve(undefined);
    apply(row.customer);
    row.customer.updatedAt = clock();
    return Promise.resolve(copy(row.customer));
  };

  return {
    all: () => rows.map((row) => copy(row.customer)),

    async upsertFromLogin(identity, id, grantAdmin) {
      const existing = rows.find(
        (row) => row.customer.issuer === identity.issuer && row.customer.subject === identity.subject,
      );
      if (existing) {
        const c = existing.customer;
        Object.assign(c, { email: identity.email, name: identity.name, updatedAt: clock() });
        if (grantAdmin && !c.roles.includes('admin')) c.roles.push('admin');
        return copy(c);
      }
      const now = clock();
      const customer: Customer = {
        id,
        issuer: identity.issuer,
        subject: identity.subject,
        email: identity.email,
        name: identity.name,
        phoneNumber: '',
        roles: grantAdmin ? ['customer', 'admin'] : ['customer'],
        createdAt: now,
        updatedAt: now,
      };
      rows.push({ seq: nextSeq++, customer });
      return copy(customer);
    },

    findById: async (id) => {
      const row = byId(id);
      return row && copy(row.customer);
    },

    updateProfile: (id, changes) =>
      change(id, (c) => {
        if (changes.name !== undefined) c.name = changes.name;
        if (changes.phoneNumber !== undefined) c.phoneNumber = changes.phoneNumber;
      }),

    setRoles: (id, roles) => change(id, (c) => void (c.roles = [...roles])),

    async list({ query, limit, afterSeq }) {
      const needle = query.toLowerCase();
      const after = Number(afterSeq ?? 0);
      return rows
        .filter((row) => row.seq > after)
        .filter(
          (row) =>
            !needle ||
            row.customer.email.toLowerCase().includes(needle) ||
            row.customer.name.toLowerCase().includes(needle),
        )
        .slice(0, limit)
        .map((row) => ({ customer: copy(row.customer), seq: String(row.seq) }));
    },
  };
}
