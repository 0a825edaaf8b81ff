import { type Client, createClient, type Interceptor, type Transport } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-web';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { CustomerService } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { bearerToken, type TokenSource } from './bearer-token.js';

export interface OrderSystemClientOptions {
  /** The gateway, e.g. "https://api.example.com" or "http://127.0.0.1:8080". */
  baseUrl: string;
  /** The access token (or a function returning the current one); omit for anonymous use. */
  token?: TokenSource;
  /** Reads go as HTTP GET, so browsers and proxies can cache them (default true). */
  useHttpGet?: boolean;
  /** Interceptors run after the bearer token is set (logging, retries). */
  interceptors?: Interceptor[];
  /**
   * Another transport (Node's HTTP/2 or gRPC transports from @connectrpc/connect-node, or an
   * in-memory one in tests); `baseUrl` and `useHttpGet` are then ignored.
   */
  transport?: (interceptors: Interceptor[]) => Transport;
}

/** One client per public service. */
export interface OrderSystemClient {
  catalog: Client<typeof CatalogService>;
  customers: Client<typeof CustomerService>;
  orders: Client<typeof OrderService>;
}

/**
 * Ready clients for the public API over the Connect protocol with JSON, using `fetch`: the same
 * code runs in browsers and in Node (18 or later).
 */
export function createOrderSystemClient(options: OrderSystemClientOptions): OrderSystemClient {
  const interceptors = [bearerToken(options.token), ...(options.interceptors ?? [])];
  const transport = options.transport
    ? options.transport(interceptors)
    : createConnectTransport({ baseUrl: options.baseUrl, useHttpGet: options.useHttpGet ?? true, interceptors });
  return {
    catalog: createClient(CatalogService, transport),
    customers: createClient(CustomerService, transport),
    orders: createClient(OrderService, transport),
  };
}
