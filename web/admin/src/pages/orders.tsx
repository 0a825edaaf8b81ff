import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { useQuery } from '@connectrpc/connect-query';
import { OrderService, type OrderStatus } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { type FormEvent, useState } from 'react';
import { formatMoney, formatTime, localMidnight } from '../format.js';
import { Link, useLocation } from '../router.js';
import { Field } from '../ui/common.js';
import { DataTable } from '../ui/data-table.js';
import { PagedList } from '../ui/paged-list.js';
import { useCursor } from '../ui/use-cursor.js';
import { STATUS_LABEL, StatusBadge } from './order-status.js';

interface Filters {
  status: string;
  customerId: string;
  from: string;
  to: string;
  number: string;
}

const EMPTY: Filters = { status: '', customerId: '', from: '', to: '', number: '' };

/** All orders, newest first, filtered by status, customer, date range (local days) and number. */
export function OrdersPage({ customerId }: { customerId?: string }) {
  const { params } = useLocation();
  const [draft, setDraft] = useState<Filters>({
    ...EMPTY,
    status: params.get('status') ?? '',
    customerId: customerId ?? '',
  });
  const [filters, setFilters] = useState<Filters>(draft);
  const cursor = useCursor();
  const list = useQuery(OrderService.method.listOrders, {
    ...(filters.status ? { status: Number(filters.status) as OrderStatus } : {}),
    ...(filters.customerId ? { customerId: filters.customerId } : {}),
    ...(filters.number ? { number: filters.number.trim() } : {}),
    ...(filters.from ? { createdAfter: timestampFromDate(localMidnight(filters.from)) } : {}),
    ...(filters.to ? { createdBefore: timestampFromDate(localMidnight(filters.to, -1)) } : {}),
    pageSize: 25,
    pageToken: cursor.token,
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    cursor.reset();
    setFilters(draft);
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  return (
    <section aria-labelledby="orders-title">
      {!customerId && <h1 id="orders-title">Orders</h1>}
      {customerId && <h2 id="orders-title">Orders</h2>}
      <form className="filters" onSubmit={apply} aria-label="Filter orders">
        <Field label="Order number">
          <input value={draft.number} onChange={set('number')} placeholder="ORD-000123" />
        </Field>
        <Field label="Status">
          <select value={draft.status} onChange={set('status')}>
            <option value="">Any</option>
            {[1, 2, 3, 4, 5].map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s as OrderStatus]}
              </option>
            ))}
          </select>
        </Field>
        {!customerId && (
          <Field label="Customer ID">
            <input value={draft.customerId} onChange={set('customerId')} />
          </Field>
        )}
        <Field label="From (day)">
          <input type="date" value={draft.from} onChange={set('from')} />
        </Field>
        <Field label="To (day, inclusive)">
          <input type="date" value={draft.to} onChange={set('to')} />
        </Field>
        <button type="submit">Apply filters</button>
      </form>
      <PagedList list={list} what="orders" cursor={cursor}>
        {(data) => (
          <>
            <DataTable columns={['Number', 'Placed', 'Status', 'Recipient', 'Total']}>
              {data.orders.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link to={`/orders/${o.id}`}>{o.number}</Link>
                  </td>
                  <td>{formatTime(o.createdAt)}</td>
                  <td>
                    <StatusBadge status={o.status} />
                  </td>
                  <td>{o.deliveryAddress?.recipientName}</td>
                  <td className="num">{formatMoney(o.total)}</td>
                </tr>
              ))}
            </DataTable>
            {data.orders.length === 0 && <p>No orders match.</p>}
          </>
        )}
      </PagedList>
    </section>
  );
}
