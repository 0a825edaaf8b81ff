/** A Connect error as the gateway answers it over HTTP/JSON. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
    readonly call = '',
  ) {
    super(`${call ? `${call}: ` : ''}${code}: ${message}`);
  }
}

export type Json = Record<string, unknown>;

/**
 * The gateway's public API exactly as an outside client sees it: Connect's HTTP/JSON protocol
 * with plain fetch, no generated clients. `service` is the fully qualified name
 * ("ordersystem.catalog.v1.CatalogService"); int64 fields are JSON strings, enums are names.
 */
export class PublicApi {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  /** The same API as the holder of `accessToken`. */
  as(accessToken: string): PublicApi {
    return new PublicApi(this.baseUrl, accessToken);
  }

  /** A unary call as POST with a JSON body (every method). */
  async post<T = Json>(service: string, method: string, message: Json = {}): Promise<T> {
    const res = await fetch(`${this.baseUrl}/${service}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'connect-protocol-version': '1', ...this.auth() },
      body: JSON.stringify(message),
    });
    return parse<T>(res, `POST ${method}`);
  }

  /** A unary call as GET (`NO_SIDE_EFFECTS` methods, cacheable): the message goes in `?message=`. */
  async get<T = Json>(
    service: string,
    method: string,
    message: Json = {},
    headers: Record<string, string> = {},
  ): Promise<T> {
    const res = await this.getRaw(service, method, message, headers);
    return parse<T>(res, `GET ${method}`);
  }

  /** The raw GET response, for cache headers and 304s. */
  getRaw(service: string, method: string, message: Json = {}, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(getUrl(this.baseUrl, service, method, message), { headers: { ...this.auth(), ...headers } });
  }

  private auth(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}

/** Connect GET encoding: `?connect=v1&encoding=json&message=<url-encoded JSON>`. */
export function getUrl(baseUrl: string, service: string, method: string, message: Json = {}): string {
  const query = new URLSearchParams({ connect: 'v1', encoding: 'json', message: JSON.stringify(message) });
  return `${baseUrl}/${service}/${method}?${query.toString()}`;
}

async function parse<T>(res: Response, call: string): Promise<T> {
  const text = await res.text();
  const body = text ? (JSON.parse(text) as Json) : {};
  if (!res.ok)
    throw new ApiError(
      res.status,
      String(body.code ?? res.status),
      String(body.message ?? text),
      (body.details as unknown[]) ?? [],
      call,
    );
  return body as T;
}

export const CATALOG = 'ordersystem.catalog.v1.CatalogService';
export const ORDERS = 'ordersystem.orders.v1.OrderService';
export const CUSTOMERS = 'ordersystem.customers.v1.CustomerService';
