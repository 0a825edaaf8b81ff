import type { ReservationJournal } from '../../src/app/ports';

/** ReservationJournal in memory: order id → lease end (ms since epoch). */
export class MemoryReservationJournal implements ReservationJournal {
  readonly leases = new Map<string, number>();
  private readonly hasOrder: (orderId: string) => boolean;

  constructor(hasOrder: (orderId: string) => boolean = () => false) {
    this.hasOrder = hasOrder;
  }

  async acquire(orderId: string, _customerId: string, leaseMs: number): Promise<string | undefined> {
    const until = this.leases.get(orderId);
    if (until !== undefined && until >= Date.now()) return undefined;
    const token = Date.now() + leaseMs;
    this.leases.set(orderId, token);
    return String(token);
  }

  /** Whether `token` is still the lease of `orderId` (recovery's claim replaces it). */
  holds(orderId: string, token: string): boolean {
    return String(this.leases.get(orderId)) === token;
  }

  async extend(orderId: string, token: string, leaseMs: number): Promise<string | undefined> {
    if (!this.holds(orderId, token)) return undefined;
    // Strictly later than the old token, as PostgreSQL's now() is in a later transaction.
    const renewed = Math.max(Date.now() + leaseMs, Number(token) + 1);
    this.leases.set(orderId, renewed);
    return String(renewed);
  }

  async clear(orderId: string, token: string): Promise<void> {
    if (this.holds(orderId, token)) this.forget(orderId);
  }

  async claimAbandoned(leaseMs: number, limit: number): Promise<Array<{ orderId: string; token: string }>> {
    const now = Date.now();
    const expired = [...this.leases].filter(([, until]) => until < now).sort(([, a], [, b]) => a - b);
    const claimed: Array<{ orderId: string; token: string }> = [];
    for (const [orderId] of expired) {
      if (this.hasOrder(orderId)) this.leases.delete(orderId);
      else if (claimed.length < limit) {
        this.leases.set(orderId, now + leaseMs);
        claimed.push({ orderId, token: String(now + leaseMs) });
      }
    }
    return claimed;
  }

  /** The order's own transaction dropped the entry (MemoryOrderRepository.insert). */
  forget(orderId: string): void {
    this.leases.delete(orderId);
  }
}
