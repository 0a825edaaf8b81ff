import { randomInt, randomUUID } from 'node:crypto';
import { readDevEnv } from './harness/dev-env.js';
import { CATALOG, CUSTOMERS, type Json, ORDERS, PublicApi } from './harness/http-api.js';
import { login } from './harness/login.js';
import type { RunningSystem } from './harness/system.js';
import type { ReceivedMail, TwilioMessage } from '@ordersystem/dev-sinks';

/** The catalog's one currency, as the service is configured for local runs. */
export const CURRENCY = readDevEnv('catalog').CATALOG_CURRENCY || 'KES';

/** A signed-in user of the public API. */
export interface User {
  email: string;
  api: PublicApi;
}

/** Logs `email` in through the real OIDC flow and returns the API as that user. */
export async function signIn(system: RunningSystem, email: string, name: string): Promise<User> {
  const tokens = await login(system.gatewayUrl, email, name);
  return { email, api: new PublicApi(system.gatewayUrl).as(tokens.access_token) };
}

/** A fresh Kenyan mobile number in E.164 (+2547 1x…), valid for the customers service's phone check. */
export const aPhoneNumber = (): string => `+25471${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

export const money = (amountMinor: number | bigint) => ({ currencyCode: CURRENCY, amountMinor: String(amountMinor) });

/** A ProductInput in proto JSON; unique sku per call. */
export function aProduct(categoryId: string, priceMinor: number, overrides: Json = {}): Json {
  const sku = `E2E-${randomUUID().slice(0, 8).toUpperCase()}`;
  return {
    sku,
    name: `Product ${sku}`,
    description: 'end-to-end test product',
    price: money(priceMinor),
    categoryId,
    taxClass: 'standard',
    stockOnHand: '50',
    active: true,
    ...overrides,
  };
}

export const anAddress = (phoneNumber: string): Json => ({
  recipientName: 'E2E Recipient',
  line1: '1 Test Street',
  city: 'Nairobi',
  postalCode: '00100',
  countryCode: 'KE',
  phoneNumber,
});

export async function createCategory(admin: User, name: string, parentId = ''): Promise<Json & { id: string }> {
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 8)}`;
  const { category } = await admin.api.post<{ category: Json & { id: string } }>(CATALOG, 'CreateCategory', {
    name,
    slug,
    parentId,
  });
  return category;
}

export interface PlacedOrder {
  id: string;
  number: string;
  status: string;
  [key: string]: unknown;
}

export async function placeOrder(
  user: User,
  phone: string,
  lines: Array<{ productId: string; quantity: number }>,
): Promise<PlacedOrder> {
  const { order } = await user.api.post<{ order: PlacedOrder }>(ORDERS, 'PlaceOrder', {
    lines: lines.map((l) => ({ productId: l.productId, quantity: String(l.quantity) })),
    deliveryAddress: anAddress(phone),
    idempotencyKey: randomUUID(),
    paymentMethod: 'PAYMENT_METHOD_PAY_ON_DELIVERY',
  });
  return order;
}

/** Gives the user a phone number (UpdateMe), so order notifications reach them by SMS. */
export async function setPhone(user: User, phoneNumber: string): Promise<Json> {
  const { customer } = await user.api.post<{ customer: Json }>(CUSTOMERS, 'UpdateMe', { phoneNumber });
  return customer;
}

/** The SMS the Twilio endpoint accepted for `to`, read through its HTTP JSON view. */
export async function smsTo(system: RunningSystem, to: string): Promise<TwilioMessage[]> {
  const all = (await (await fetch(`${system.sms.url}/messages`)).json()) as TwilioMessage[];
  return all.filter((m) => m.to === to);
}

/** The mail the SMTP sink received for `to`, read through its HTTP JSON view. */
export async function mailTo(system: RunningSystem, to: string): Promise<ReceivedMail[]> {
  const all = (await (await fetch(`${system.mail.webUrl}/mails`)).json()) as ReceivedMail[];
  return all.filter((m) => m.to.includes(to));
}

/** Stock available of a product, read like any shopper would (public GetProduct over GET). */
export async function stockAvailable(api: PublicApi, productId: string): Promise<number> {
  const { product } = await api.get<{ product: { stockAvailable?: string } }>(CATALOG, 'GetProduct', { id: productId });
  return Number(product.stockAvailable ?? 0);
}
