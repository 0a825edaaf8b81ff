import { useMutation, useQuery } from '@connectrpc/connect-query';
import { CustomerService } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import {
  Channel,
  NotificationAdminService,
  NotificationStatus,
} from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import { type Order, OrderService, PaymentMethod } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { formatMoney, formatTime } from '../format.js';
import { Link } from '../router.js';
import { ErrorBox, Field, Loading } from '../ui/common.js';
import { DataTable } from '../ui/data-table.js';
import { LEGAL, STATUS_LABEL, StatusBadge, type Transition } from './order-status.js';

/** Payment methods by name, so a method added to the API shows without a console release. */
function paymentLabel(m: PaymentMethod): string {
  if (m === PaymentMethod.UNSPECIFIED || m === PaymentMethod.PAY_ON_DELIVERY) return 'pay on delivery';
  return (PaymentMethod[m] ?? String(m)).toLowerCase().replace(/_/g, ' ');
}

/** One order: lines with their price snapshots, totals, payment, address, history and the legal next steps. */
export function OrderPage({ id }: { id: string }) {
  const order = useQuery(OrderService.method.getOrder, { id });
  if (order.isPending) return <Loading what="the order" />;
  if (order.error) return <ErrorBox error={order.error} />;
  const o = order.data.order;
  if (!o) return <p>No such order.</p>;
  const a = o.deliveryAddress;
  return (
    <article aria-labelledby="order-title">
      <p>
        <Link to="/orders">← All orders</Link>
      </p>
      <h1 id="order-title">
        Order {o.number} <StatusBadge status={o.status} />
      </h1>
      <p>
        Placed {formatTime(o.createdAt)} by <CustomerName id={o.customerId} />. Payment: {paymentLabel(o.paymentMethod)}
        .
      </p>
      <Actions order={o} />
      <h2>Lines</h2>
      <DataTable
        columns={['Product', 'SKU', 'Qty', 'Unit price', 'Subtotal', 'Tax (class)', 'Total']}
        footer={
          <tr>
            <th scope="row" colSpan={4}>
              Totals
            </th>
            <td className="num">{formatMoney(o.subtotal)}</td>
            <td className="num">{formatMoney(o.tax)}</td>
            <td className="num">
              <strong>{formatMoney(o.total)}</strong>
            </td>
          </tr>
        }
      >
        {o.lines.map((l) => (
          <tr key={l.productId}>
            <td>{l.name}</td>
            <td>{l.sku}</td>
            <td className="num">{l.quantity.toString()}</td>
            <td className="num">{formatMoney(l.unitPrice)}</td>
            <td className="num">{formatMoney(l.lineSubtotal)}</td>
            <td className="num">
              {formatMoney(l.lineTax)} ({l.taxClass})
            </td>
            <td className="num">{formatMoney(l.lineTotal)}</td>
          </tr>
        ))}
      </DataTable>
      <div className="columns">
        <section>
          <h2>Delivery address</h2>
          {a && (
            <address>
              {a.recipientName}
              <br />
              {a.line1}
              {a.line2 && (
                <>
                  <br />
                  {a.line2}
                </>
              )}
              <br />
              {a.postalCode} {a.city} {a.region}
              <br />
              {a.countryCode}
              {a.phoneNumber && (
                <>
                  <br />
                  {a.phoneNumber}
                </>
              )}
            </address>
          )}
          {o.note && <p>Note: {o.note}</p>}
        </section>
        <section>
          <h2>History</h2>
          <ol className="history">
            {o.history.map((h, i) => (
              <li key={i}>
                <strong>{STATUS_LABEL[h.to]}</strong> · {formatTime(h.changedAt)} · {h.actorRole}
                {h.actorId && (
                  <>
                    {' '}
                    <CustomerName id={h.actorId} />
                  </>
                )}
                {h.reason && <> · “{h.reason}”</>}
              </li>
            ))}
          </ol>
        </section>
      </div>
      <OrderNotifications orderId={o.id} />
    </article>
  );
}

function CustomerName({ id }: { id: string }) {
  const c = useQuery(CustomerService.method.getCustomer, { id });
  const who = c.data?.customer;
  return <Link to={`/customers/${id}`}>{who ? `${who.name} <${who.email}>` : id}</Link>;
}

const ACTION_LABEL: Record<Transition, string> = {
  confirm: 'Confirm',
  ship: 'Mark shipped',
  deliver: 'Mark delivered',
  cancel: 'Cancel order',
};

/** Only the moves legal from the current status; a refused one shows the API's error. */
function Actions({ order }: { order: Order }) {
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  // The reason belongs to one move: cleared once it is recorded.
  const done = { onSuccess: () => (setReason(''), qc.invalidateQueries()) };
  const confirm = useMutation(OrderService.method.confirmOrder, done);
  const ship = useMutation(OrderService.method.shipOrder, done);
  const deliver = useMutation(OrderService.method.deliverOrder, done);
  const cancel = useMutation(OrderService.method.cancelOrder, done);
  const mutations = { confirm, ship, deliver, cancel };
  const legal = LEGAL[order.status];
  const busy = Object.values(mutations).some((m) => m.isPending);
  const error = Object.values(mutations).find((m) => m.error)?.error;
  if (legal.length === 0) return <p>No further steps: this order is {STATUS_LABEL[order.status].toLowerCase()}.</p>;
  const run = (t: Transition) => (e: FormEvent) => {
    e.preventDefault();
    for (const m of Object.values(mutations)) m.reset();
    mutations[t].mutate({ id: order.id, reason });
  };
  return (
    <form className="actions" aria-label="Next steps" onSubmit={(e) => e.preventDefault()}>
      <Field label={legal.includes('cancel') ? 'Reason (required to cancel)' : 'Note for the history'}>
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </Field>
      {legal.map((t) => (
        <button
          key={t}
          type="button"
          className={t === 'cancel' ? 'danger' : undefined}
          disabled={busy || (t === 'cancel' && !reason.trim())}
          onClick={run(t)}
        >
          {ACTION_LABEL[t]}
        </button>
      ))}
      <ErrorBox error={error} />
    </form>
  );
}

const NOTIFICATION_STATUS: Record<NotificationStatus, string> = {
  [NotificationStatus.UNSPECIFIED]: 'unknown',
  [NotificationStatus.PENDING]: 'waiting',
  [NotificationStatus.SENT]: 'sent',
  [NotificationStatus.FAILED]: 'failed, will retry',
  [NotificationStatus.DEAD]: 'dead (see Notifications)',
};

/** The SMS and email the order's events caused, with where each one stands. */
function OrderNotifications({ orderId }: { orderId: string }) {
  const list = useQuery(NotificationAdminService.method.listOrderNotifications, { orderId });
  return (
    <section aria-labelledby="order-notifications">
      <h2 id="order-notifications">Notifications</h2>
      <ErrorBox error={list.error} />
      {list.data && list.data.notifications.length === 0 && <p>None sent for this order yet.</p>}
      {list.data && list.data.notifications.length > 0 && (
        <DataTable columns={['Event', 'Channel', 'To', 'Status', 'Last change']}>
          {list.data.notifications.map((n) => (
            <tr key={n.id}>
              <td>{n.eventKind}</td>
              <td>{n.channel === Channel.SMS ? 'SMS' : 'Email'}</td>
              <td>{n.recipient}</td>
              <td>
                {NOTIFICATION_STATUS[n.status]}
                {n.lastError && <span className="reason"> {n.lastError}</span>}
              </td>
              <td>{formatTime(n.updatedAt)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
