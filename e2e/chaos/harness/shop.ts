import { randomUUID } from 'node:crypto';
import { aPhoneNumber, aProduct, anAddress } from '../../fixtures.js';
import { CATALOG, CUSTOMERS, ORDERS } from '../../harness/http-api.js';
import { login } from '../../harness/login.js';
import { ChaosClient, type Outcome } from './client.js';

export interface Shopper {
  email: string;
  phone: string;
  api: ChaosClient;
}

export interface PlacedOrder {
  id: string;
  number: string;
  status: string;
}

/** Logs a customer in through the real OIDC flow (via the public balancer) and gives them a fresh phone number. */
export async function aShopper(gatewayUrl: string, label: string): Promise<Shopper> {
  const email = `${label}-${randomUUID().slice(0, 8)}@chaos.test`;
  const tokens = await login(gatewayUrl, email, `${label} shopper`);
  const api = new ChaosClient(gatewayUrl).as(tokens.access_token);
  const phone = aPhoneNumber();
  await api.post(CUSTOMERS, 'UpdateMe', { phoneNumber: phone }, { retry: true });
  return { email, phone, api };
}

/** An admin (its email is in ADMIN_EMAILS) logged in through the same flow. */
export async function anAdmin(gatewayUrl: string, email: string): Promise<ChaosClient> {
  const tokens = await login(gatewayUrl, email, 'Chaos Admin');
  return new ChaosClient(gatewayUrl).as(tokens.access_token);
}

/** A category with `count` products of `stock` units each; returns the product ids. */
export async function someProducts(admin: ChaosClient, count: number, stock: number): Promise<string[]> {
  const slug = `chaos-${randomUUID().slice(0, 8)}`;
  const { category } = await admin.post<{ category: { id: string } }>(
    CATALOG,
    'CreateCategory',
    { name: slug, slug },
    { retry: true },
  );
  const products = Array.from({ length: count }, (_, i) =>
    aProduct(category.id, 1_000 + i, { stockOnHand: String(stock) }),
  );
  const { created } = await admin.post<{ created: Array<{ id: string }> }>(
    CATALOG,
    'BulkUploadProducts',
    { products },
    { retry: true },
  );
  return created.map((p) => p.id);
}

/**
 * PlaceOrder for one unit of `productId`, with one idempotency key for every attempt, so a
 * retried call after a lost answer finds the order the first attempt placed.
 */
export async function placeOrder(
  shopper: Shopper,
  productId: string,
  quantity = 1,
  retry = true,
): Promise<Outcome<{ order: PlacedOrder }>> {
  return shopper.api.call<{ order: PlacedOrder }>(
    'POST',
    ORDERS,
    'PlaceOrder',
    {
      lines: [{ productId, quantity: String(quantity) }],
      deliveryAddress: anAddress(shopper.phone),
      idempotencyKey: randomUUID(),
      paymentMethod: 'PAYMENT_METHOD_PAY_ON_DELIVERY',
    },
    { retry },
  );
}
