import { failedPrecondition } from '@ordersystem/platform/errors';

/** The life-cycle states of an order. */
export const ORDER_STATUSES = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Who may drive a transition. `system` is the service itself (e.g. payment settled at placement). */
export type ActorRole = 'customer' | 'admin' | 'system';

/** Legal moves: pending → confirmed → shipped → delivered, and cancelled from pending or confirmed. */
const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

/** Which roles may request each target state; customers may only cancel (their own orders). */
const ALLOWED_ROLES: Readonly<Record<OrderStatus, readonly ActorRole[]>> = {
  pending: [],
  confirmed: ['admin', 'system'],
  shipped: ['admin'],
  delivered: ['admin'],
  cancelled: ['customer', 'admin', 'system'],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws `failed_precondition` naming the transition when `from → to` is not a legal move. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw failedPrecondition(`illegal status transition ${from} -> ${to}`);
}

/** Whether `role` may ask for a move into `to` at all (ownership is checked by the use case). */
export function roleMayRequest(role: ActorRole, to: OrderStatus): boolean {
  return ALLOWED_ROLES[to].includes(role);
}

/**
 * What the catalog must do when an order enters `to` from `from`, if anything: confirming
 * commits the reservation (stock leaves on-hand); cancelling a pending order releases the
 * reservation; cancelling a confirmed one puts the committed stock back.
 */
export type CatalogAction = 'commit_reservation' | 'release_reservation' | 'restock_order';

export function catalogActionFor(from: OrderStatus, to: OrderStatus): CatalogAction | undefined {
  if (to === 'confirmed') return 'commit_reservation';
  if (to === 'cancelled') return from === 'pending' ? 'release_reservation' : 'restock_order';
  return undefined;
}
