import { OrderStatus } from '@ordersystem/contracts/ordersystem/orders/v1/orders';

export const STATUS_LABEL: Record<OrderStatus, string> = {
  [OrderStatus.UNSPECIFIED]: 'Unknown',
  [OrderStatus.PENDING]: 'Pending',
  [OrderStatus.CONFIRMED]: 'Confirmed',
  [OrderStatus.SHIPPED]: 'Shipped',
  [OrderStatus.DELIVERED]: 'Delivered',
  [OrderStatus.CANCELLED]: 'Cancelled',
};

export type Transition = 'confirm' | 'ship' | 'deliver' | 'cancel';

/**
 * The moves an admin may make from each status, as the orders service's state machine allows:
 * pending → confirmed → shipped → delivered, and cancelled from pending or confirmed.
 */
export const LEGAL: Record<OrderStatus, Transition[]> = {
  [OrderStatus.UNSPECIFIED]: [],
  [OrderStatus.PENDING]: ['confirm', 'cancel'],
  [OrderStatus.CONFIRMED]: ['ship', 'cancel'],
  [OrderStatus.SHIPPED]: ['deliver'],
  [OrderStatus.DELIVERED]: [],
  [OrderStatus.CANCELLED]: [],
};

export function StatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`badge s${status}`}>{STATUS_LABEL[status]}</span>;
}
