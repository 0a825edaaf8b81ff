import { type Sql, toDate } from '@ordersystem/platform';
import type { CustomerRepository } from '../app/ports.js';
import type { Customer, Role } from '../domain/customer.js';

interface CustomerRow {
  id: string;
  seq: string;
  issuer: string;
  subject: string;
  email: string;
  name: string;
  phone_number: string;
  roles: string[];
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, seq::text as seq, issuer, subject, email, name, phone_number, roles, created_at, updated_at';

const toCustomer = (row: CustomerRow): Customer => ({
  id: row.id,
  issuer: row.issuer,
  subject: row.subject,
  email: row.email,
  name: row.name,
  phoneNumber: row.phone_number,
  roles: row.roles.filter((r): r is Role => r === 'customer' || r === 'admin'),
  createdAt: toDate(row.created_at),
  updatedAt: toDate(row.updated_at),
});

/** Escapes LIKE wildcards so a search for "50%_off" matches those characters literally. */
export const likePattern = (query: string) => `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Customers in PostgreSQL, in plain SQL. */
export function createCustomerRepository(db: Sql): CustomerRepository {
  const one = async (text: string, params: unknown[]) => {
    const [row] = await db.query<CustomerRow>(text, params);
    return row ? toCustomer(row) : undefined;
  };

  return {
    async upsertFromLogin(identity, id, grantAdmin) {
      // One statement: concurrent first logins race on the (issuer, subject) constraint and the
      // losers update the winner's row instead of failing or creating a duplicate.
      const customer = await one(
        `insert into customers (id, issuer, subject, email, name, roles)
         values ($1, $2, $3, $4, $5, case when $6 then '{customer,admin}'::text[] else '{customer}'::text[] end)
         on conflict (issuer, subject) do update
           set email = excluded.email,
               name = excluded.name,
               roles = case when $6 and not ('admin' = any (customers.roles))
                            then customers.roles || '{admin}'::text[] else customers.roles end,
               updated_at = now()
         returning ${COLUMNS}`,
        [id, identity.issuer, identity.subject, identity.email, identity.name, grantAdmin],
      );
      return customer!;
    },

    findById: (id) => one(`select ${COLUMNS} from customers where id = $1`, [id]),

    updateProfile: (id, changes) =>
      one(
        `update customers
            set name = coalesce($2, name), phone_number = coalesce($3, phone_number), updated_at = now()
          where id = $1 returning ${COLUMNS}`,
        [id, changes.name ?? null, changes.phoneNumber ?? null],
      ),

    setRoles: (id, roles: Role[]) =>
      one(`update customers set roles = $2::text[], updated_at = now() where id = $1 returning ${COLUMNS}`, [
        id,
        roles,
      ]),

    async list({ query, limit, afterSeq }) {
      const rows = await db.query<CustomerRow>(
        `select ${COLUMNS} from customers
          where seq > $1
            and ($2 = '' or email ilike $3 escape '\\' or name ilike $3 escape '\\')
          order by seq
          limit $4`,
        [afterSeq ?? '0', query, likePattern(query), limit],
      );
      return rows.map((row) => ({ customer: toCustomer(row), seq: row.seq }));
    },
  };
}
