import { useMutation, useQuery } from '@connectrpc/connect-query';
import { CustomerService, Role } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { formatTime } from '../format.js';
import { Link } from '../router.js';
import { ErrorBox, Field, Loading } from '../ui/common.js';
import { DataTable } from '../ui/data-table.js';
import { PagedList } from '../ui/paged-list.js';
import { useCursor } from '../ui/use-cursor.js';
import { OrdersPage } from './orders.js';

/** Customers matching a search on email or name. */
export function CustomersPage() {
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState('');
  const cursor = useCursor();
  const list = useQuery(CustomerService.method.listCustomers, { query, pageSize: 25, pageToken: cursor.token });
  const search = (e: FormEvent) => {
    e.preventDefault();
    cursor.reset();
    setQuery(draft);
  };
  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      <form className="filters" role="search" aria-label="Search customers" onSubmit={search}>
        <Field label="Email or name">
          <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </Field>
        <button type="submit">Search</button>
      </form>
      <PagedList list={list} what="customers" cursor={cursor}>
        {(data) => (
          <>
            <DataTable columns={['Name', 'Email', 'Phone', 'Admin', 'Since']}>
              {data.customers.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/customers/${c.id}`}>{c.name || '(no name)'}</Link>
                  </td>
                  <td>{c.email}</td>
                  <td>{c.phoneNumber}</td>
                  <td>{c.roles.includes(Role.ADMIN) ? 'yes' : ''}</td>
                  <td>{formatTime(c.createdAt)}</td>
                </tr>
              ))}
            </DataTable>
            {data.customers.length === 0 && <p>No customers match.</p>}
          </>
        )}
      </PagedList>
    </section>
  );
}

/** One customer with their orders, and the admin role granted or revoked. */
export function CustomerPage({ id }: { id: string }) {
  const qc = useQueryClient();
  const customer = useQuery(CustomerService.method.getCustomer, { id });
  const setRoles = useMutation(CustomerService.method.setCustomerRoles, { onSuccess: () => qc.invalidateQueries() });
  if (customer.isPending) return <Loading what="the customer" />;
  if (customer.error) return <ErrorBox error={customer.error} />;
  const c = customer.data.customer;
  if (!c) return <p>No such customer.</p>;
  const admin = c.roles.includes(Role.ADMIN);
  const toggle = () =>
    setRoles.mutate({ id, roles: admin ? c.roles.filter((r) => r !== Role.ADMIN) : [...c.roles, Role.ADMIN] });
  return (
    <article aria-labelledby="customer-title">
      <p>
        <Link to="/customers">← All customers</Link>
      </p>
      <h1 id="customer-title">{c.name || c.email}</h1>
      <dl className="stats">
        <dt>Email</dt>
        <dd>{c.email}</dd>
        <dt>Phone</dt>
        <dd>{c.phoneNumber || '—'}</dd>
        <dt>Roles</dt>
        <dd>{c.roles.map((r) => Role[r].toLowerCase()).join(', ')}</dd>
        <dt>Customer since</dt>
        <dd>{formatTime(c.createdAt)}</dd>
      </dl>
      <button type="button" className={admin ? 'danger' : undefined} onClick={toggle} disabled={setRoles.isPending}>
        {admin ? 'Revoke admin role' : 'Grant admin role'}
      </button>
      <ErrorBox error={setRoles.error} />
      <OrdersPage customerId={id} />
    </article>
  );
}
