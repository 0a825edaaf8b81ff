import { CATALOG } from '../../harness/http-api.js';
import type { ChaosClient } from './client.js';
import { type PlacedOrder, placeOrder, type Shopper } from './shop.js';

export interface LoadOptions {
  shopper: Shopper;
  /** Anonymous client for catalog reads. */
  reader: ChaosClient;
  productIds: string[];
  ordersPerSecond: number;
  /** Concurrent read loops (each one GET after another). */
  readers: number;
}

export interface LoadReport {
  orders: PlacedOrder[];
  orderFailures: string[];
  reads: number;
  readFailures: string[];
  /** Attempts beyond the first, over every call. */
  retries: number;
}

/**
 * Mixed load while an experiment breaks things: PlaceOrder at a fixed rate (open model: a slow
 * answer does not slow the arrivals) and catalog reads in closed loops, every call retried the
 * way a client may (see ChaosClient). `stop()` ends the arrivals, waits for the calls in flight
 * and reports what the client saw.
 */
export function startLoad(o: LoadOptions): { stop(): Promise<LoadReport> } {
  let running = true;
  const report: LoadReport = { orders: [], orderFailures: [], reads: 0, readFailures: [], retries: 0 };
  const inFlight: Array<Promise<void>> = [];
  const pick = (n: number) => o.productIds[n % o.productIds.length]!;

  const placing = (async () => {
    for (let n = 0; running; n++) {
      inFlight.push(
        placeOrder(o.shopper, pick(n)).then((outcome) => {
          report.retries += outcome.attempts - 1;
          if (outcome.ok) report.orders.push(outcome.body.order);
          else report.orderFailures.push(`${outcome.code}: ${outcome.message}`);
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000 / o.ordersPerSecond));
    }
  })();
  const reading = Array.from({ length: o.readers }, async (_, r) => {
    for (let n = r; running; n += o.readers) {
      const outcome = await o.reader.call('GET', CATALOG, 'GetProduct', { id: pick(n) }, { retry: true });
      report.retries += outcome.attempts - 1;
      if (outcome.ok) report.reads++;
      else report.readFailures.push(`${outcome.code}: ${outcome.message}`);
    }
  });

  return {
    stop: async () => {
      running = false;
      await Promise.all([placing, ...reading]);
      await Promise.all(inFlight);
      return report;
    },
  };
}
