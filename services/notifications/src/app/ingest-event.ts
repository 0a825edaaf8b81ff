import type { OrderEventView } from '../domain/order-event.js';
import { renderNotifications } from '../domain/templates.js';
import type { NotificationStore } from './ports.js';

/**
 * Turns one order event into its delivery rows. Storing is idempotent on (event, channel,
 * recipient), so a redelivered event stores nothing new and therefore sends nothing new.
 * Returns how many rows were new.
 */
export function ingestEvent(
  store: NotificationStore,
  event: OrderEventView,
  adminEmails: readonly string[],
  traceContext: Record<string, string>,
): Promise<number> {
  const drafts = renderNotifications(event, adminEmails);
  return store.storeEvent(
    { eventId: event.eventId, eventKind: event.kind, orderId: event.orderId, traceContext },
    drafts,
  );
}
