import { formatMoney } from './money.js';
import type { NotificationDraft } from './notification.js';
import type { OrderEventView } from './order-event.js';
import { fitSms } from './sms-text.js';

/**
 * Every message the service sends, per event and channel, in one place. SMS go to the
 * customer's phone and are cut to two segments here, on purpose, rather than by the provider;
 * a customer without a phone number gets no SMS (no row at all). Confirmation emails go to every
 * administrator with a text and an HTML part; all customer data in HTML is escaped.
 */
export function renderNotifications(event: OrderEventView, adminEmails: readonly string[]): NotificationDraft[] {
  const drafts: NotificationDraft[] = [];
  const sms = smsText(event);
  const phone = event.order.customer.phoneNumber.trim();
  if (sms !== undefined && phone)
    drafts.push({ channel: 'sms', recipient: phone, subject: null, text: fitSms(sms), html: null });
  if (event.kind === 'confirmed') {
    for (const admin of new Set(adminEmails.map((a) => a.trim().toLowerCase()).filter(Boolean))) {
      drafts.push({ channel: 'email', recipient: admin, ...confirmationEmail(event) });
    }
  }
  return drafts;
}

function smsText(event: OrderEventView): string | undefined {
  const { number, total } = event.order;
  switch (event.kind) {
    case 'confirmed':
      return `Your order ${number} is confirmed. Total ${formatMoney(total)}. We will text you when it ships.`;
    case 'shipped':
      return `Good news: your order ${number} has shipped and is on its way.`;
    case 'delivered':
      return `Your order ${number} has been delivered. Thank you for shopping with us!`;
    case 'cancelled':
      // The refund comes before the free-text reason, so cutting a long reason never cuts it.
      return `Your order ${number} has been cancelled.${event.refund ? ` A refund of ${formatMoney(event.refund)} is on its way to your card.` : ''}${event.reason ? ` Reason: ${event.reason}` : ''}`;
    case 'placed':
      return undefined;
  }
}

function confirmationEmail(event: OrderEventView): { subject: string; text: string; html: string } {
  const { order } = event;
  const customer = `${order.customer.name} <${order.customer.email}>${order.customer.phoneNumber ? `, ${order.customer.phoneNumber}` : ''}`;
  const lines = order.lines.map((l) => ({ ...l, unit: formatMoney(l.unitPrice), total: formatMoney(l.lineTotal) }));
  const totals: Array<[string, string]> = [
    ['Subtotal', formatMoney(order.subtotal)],
    ['Tax', formatMoney(order.tax)],
    ['Total', formatMoney(order.total)],
  ];
  const text = [
    `Order ${order.number} was confirmed.`,
    `Customer: ${customer}`,
    '',
    ...lines.map((l) => `${l.quantity} x ${l.name} (${l.sku}) @ ${l.unit} = ${l.total}`),
    '',
    ...totals.map(([label, value]) => `${label}: ${value}`),
  ].join('\n');
  const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  const html = [
    `<h1>Order ${escapeHtml(order.number)} confirmed</h1>`,
    `<p>Customer: ${escapeHtml(customer)}</p>`,
    '<table><tr><th>Qty</th><th>Product</th><th>SKU</th><th>Unit</th><th>Total</th></tr>',
    ...lines.map((l) => row([l.quantity.toString(), l.name, l.sku, l.unit, l.total])),
    '</table><table>',
    ...totals.map(([label, value]) => row([label, value])),
    '</table>',
  ].join('\n');
  return { subject: `Order ${order.number} confirmed (${formatMoney(order.total)})`, text, html };
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
