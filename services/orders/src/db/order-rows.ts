import type { Address, Order, OrderLine, StatusChange } from '../domain/order.js';
import { formatOrderNumber } from '../domain/order.js';
import type { ActorRole, OrderStatus } from '../domain/order-status.js';
import type { PaymentState } from '../domain/payment.js';
import { type Row, type Sql, toBigInt, toDate } from '@ordersystem/platform';

export const ORDER_COLUMNS = `id, seq, customer_id, status, payment_method, currency, subtotal_minor, tax_minor, total_minor,
  delivery_address, note, contact_name, contact_email, contact_phone, version, created_at, updated_at,
  payment_state, payment_provider, payment_reference, amount_paid_minor, refunded_minor, payment_failure, refund_reference`;

/** Loads lines and history for the given order rows (two queries for any page size). */
export async function hydrate(sql: Sql, rows: Row[]): Promise<Order[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => String(r.id));
  const lines = await sql.query(
    `select * from order_lines where order_id = any($1::uuid[]) order by order_id, position`,
    [ids],
  );
  const history = await sql.query(
    `select * from order_status_history where order_id = any($1::uuid[]) order by order_id, id`,
    [ids],
  );
  return rows.map((row) =>
    toOrder(
      row,
      lines.filter((l) => l.order_id === row.id).map(toLine),
      history.filter((h) => h.order_id === row.id).map(toChange),
    ),
  );
}

function toOrder(row: Row, lines: OrderLine[], history: StatusChange[]): Order {
  return {
    id: String(row.id),
    number: formatOrderNumber(String(row.seq)),
    customerId: String(row.customer_id),
    status: row.status as OrderStatus,
    paymentMethod: row.payment_method as Order['paymentMethod'],
    currency: String(row.currency),
    subtotalMinor: toBigInt(row.subtotal_minor),
    taxMinor: toBigInt(row.tax_minor),
    totalMinor: toBigInt(row.total_minor),
    lines,
    deliveryAddress: row.delivery_address as Address,
    note: String(row.note),
    contact: {
      customerId: String(row.customer_id),
      name: String(row.contact_name),
      email: String(row.contact_email),
      phoneNumber: String(row.contact_phone),
    },
    payment: {
      state: row.payment_state as PaymentState,
      provider: String(row.payment_provider),
      reference: String(row.payment_reference),
      amountPaidMinor: toBigInt(row.amount_paid_minor),
      refundedMinor: toBigInt(row.refunded_minor),
      failureReason: String(row.payment_failure),
      refundReference: String(row.refund_reference),
    },
    history,
    version: Number(row.version),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function toLine(row: Row): OrderLine {
  return {
    productId: String(row.product_id),
    sku: String(row.sku),
    name: String(row.name),
    taxClass: String(row.tax_class),
    taxRateBp: Number(row.tax_rate_bp),
    quantity: toBigInt(row.quantity),
    unitPriceMinor: toBigInt(row.unit_price_minor),
    lineSubtotalMinor: toBigInt(row.line_subtotal_minor),
    lineTaxMinor: toBigInt(row.line_tax_minor),
    lineTotalMinor: toBigInt(row.line_total_minor),
  };
}

function toChange(row: Row): StatusChange {
  return {
    from: (row.from_status as OrderStatus | null) ?? null,
    to: row.to_status as OrderStatus,
    actorId: String(row.actor_id),
    actorRole: row.actor_role as ActorRole,
    reason: String(row.reason),
    changedAt: toDate(row.changed_at),
  };
}
