/**
 * The admin console in a real browser: Chromium from the distribution's packages, driven by
 * playwright-core, against the whole system started once for every test of this file. Each test
 * uses a fresh browser context (its own cookies), makes its own data and saves a screenshot.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { aPhoneNumber, aProduct, createCategory, placeOrder, setPhone, signIn, smsTo, type User } from './fixtures.js';
import { launchChromium, screenshot, signInInBrowser } from './harness/browser.js';
import { ApiError, CATALOG, type Json } from './harness/http-api.js';
import { eventually } from './harness/poll.js';
import { type RunningSystem, startSystem } from './harness/system.js';

jest.setTimeout(180_000);

const NOTIFICATIONS = 'ordersystem.notifications.v1.NotificationAdminService';
const adminEmail = `admin-${randomUUID().slice(0, 8)}@e2e.test`;
let system: RunningSystem;
let browser: Browser;
let admin: User;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [system, browser] = await Promise.all([startSystem({ adminEmails: [adminEmail] }), launchChromium()]);
  admin = await signIn(system, adminEmail, 'Console Admin');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  const codes = system ? await system.stop() : undefined;
  if (!codes) return; // beforeAll failed and said why
  expect(codes).toEqual({ gateway: 0, notifications: 0, orders: 0, catalog: 0, customers: 0 });
}, 60_000);

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
});

/** An admin signed in through the browser, on the dashboard. */
async function asAdmin(): Promise<void> {
  await signInInBrowser(page, system.gatewayUrl, adminEmail, 'Console Admin');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/** A link of the console's main navigation. */
const section = (name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name });

/** The message the API gives for a call that fails, to compare with what the console shows. */
async function refusal(call: Promise<unknown>): Promise<string> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected the API to refuse, got ${String(err)}`);
  return err.message.replace(/^[^:]*: [a-z_]+: /, '');
}

const id = () => randomUUID().slice(0, 6);

test('an admin signs in through the local OpenID form, sees the dashboard and signs out', async () => {
  await asAdmin();
  for (const card of ['Today', 'Last 7 days', 'To confirm', 'To ship', 'To deliver', 'Failed notifications'])
    await page.getByText(card, { exact: true }).waitFor();
  await screenshot(page, 'dashboard');
  // The refresh token is an HttpOnly cookie scoped to /auth: the page's own script cannot read it.
  expect(await page.evaluate('document.cookie')).toBe('');
  const refresh = (await context.cookies()).find((c) => c.name === 'gw_refresh');
  expect(refresh).toMatchObject({ path: '/auth', httpOnly: true, sameSite: 'Strict' });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  expect((await context.cookies()).find((c) => c.name === 'gw_refresh')).toBeUndefined();
});

test('a signed-in customer who is not an admin is refused and sees no data', async () => {
  const email = `shopper-${id()}@e2e.test`;
  await signInInBrowser(page, system.gatewayUrl, email, 'Just Shopping');
  await page.getByRole('heading', { name: 'Not an administrator' }).waitFor();
  await expectText(page.getByRole('main'), email);
  expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
  await screenshot(page, 'not-an-admin');
});

test('builds a three-level tree, moves a branch, and shows why a cycle and a non-empty delete are refused', async () => {
  const n = id();
  await asAdmin();
  await section('Catalog').click();
  const create = async (form: string, name: string) => {
    await page.getByRole('form', { name: form }).getByLabel(form).fill(name);
    await page.getByRole('form', { name: form }).getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name, exact: true }).waitFor();
  };
  await create('New top-level category', `Garden ${n}`);
  await create(`New category under Garden ${n}`, `Tools ${n}`);
  await create(`New category under Tools ${n}`, `Spades ${n}`);
  await create('New top-level category', `Sheds ${n}`);

  const tree = async () => (await admin.api.post<{ roots: Node[] }>(CATALOG, 'GetCategoryTree', {})).roots;
  const ids = idsOf(await tree());

  // Move Tools (with Spades below it) from Garden to Sheds.
  await page.getByRole('button', { name: `Tools ${n}`, exact: true }).click();
  await page.getByRole('form', { name: 'Move' }).getByLabel('Parent').selectOption(ids[`Sheds ${n}`]!);
  await page.getByRole('form', { name: 'Move' }).getByRole('button', { name: 'Move' }).click();
  const path = async () => pathOf(await tree(), `Spades ${n}`);
  expect(
    await eventually('Tools under Sheds', async () => ((await path())[0] === `Sheds ${n}` ? path() : undefined)),
  ).toEqual([`Sheds ${n}`, `Tools ${n}`, `Spades ${n}`]);
  await expectText(page.locator('.tree').first(), `Spades ${n}`);

  // Sheds under its own grandchild closes a cycle: the console shows the API's refusal.
  const cycleMessage = await refusal(
    admin.api.post(CATALOG, 'MoveCategory', { id: ids[`Sheds ${n}`], newParentId: ids[`Spades ${n}`] }),
  );
  await page.getByRole('button', { name: `Sheds ${n}`, exact: true }).click();
  await page.getByRole('form', { name: 'Move' }).getByLabel('Parent').selectOption(ids[`Spades ${n}`]!);
  await page.getByRole('form', { name: 'Move' }).getByRole('button', { name: 'Move' }).click();
  await expectText(page.getByRole('form', { name: 'Move' }).getByRole('alert'), cycleMessage);

  // Sheds is not empty: deleting it is refused with the reason.
  const deleteMessage = await refusal(admin.api.post(CATALOG, 'DeleteCategory', { id: ids[`Sheds ${n}`] }));
  await page.getByRole('button', { name: `Delete Sheds ${n}` }).click();
  await expectText(page.getByRole('alert').last(), deleteMessage);
  await page.getByRole('button', { name: `Spades ${n}`, exact: true }).click();
  await page.getByText('Active products (whole subtree)').waitFor();
  await screenshot(page, 'catalog-tree');
});

test('a CSV upload with one bad row shows it by row and field and writes nothing; the corrected file creates every product', async () => {
  const n = id();
  const top = await createCategory(admin, `Bulk ${n}`);
  const slug = String(top.slug);
  const sku = (i: number) => `CSV-${n}-${i}`.toUpperCase();
  const header = 'sku,name,description,price,category,tax_class,stock,active';
  const bad = [
    header,
    `${sku(1)},Rake,"A rake, sturdy",12.50,${slug},standard,10,true`,
    `${sku(2)},Hoe,,abc,${slug},standard,5,true`,
    `${sku(3)},Fork,,7,no-such-${n},standard,x,true`,
  ].join('\n');
  await asAdmin();
  await section('Products').click();
  await page.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Upload' }).click();
  const problems = page.getByRole('region', { name: 'Bulk upload' }).getByRole('alert');
  await expectText(problems, 'Nothing was written');
  const rows = await problems.locator('tbody tr').allInnerTexts();
  expect(rows.map((r) => r.split('\t').slice(0, 2).join(' '))).toEqual(['3 price', '4 category', '4 stock']);
  await screenshot(page, 'bulk-upload-refused');
  const found = async () =>
    (await admin.api.post<{ products?: Json[] }>(CATALOG, 'ListProducts', { categoryId: top.id })).products ?? [];
  expect(await found()).toEqual([]);

  const good = [
    header,
    `${sku(1)},Rake,"A rake, sturdy",12.50,${slug},standard,10,true`,
    `${sku(2)},Hoe,,8,${slug},standard,5,true`,
  ].join('\n');
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByText('Created 2 products.').waitFor();
  const created = await found();
  expect(created.map((p) => [p.sku, (p.price as Json).amountMinor]).sort()).toEqual([
    [sku(1), '1250'],
    [sku(2), '800'],
  ]);
  await screenshot(page, 'bulk-upload-done');
});

test('an order placed through the API is shipped and delivered in the console, and the customer gets each SMS', async () => {
  const n = id();
  const category = await createCategory(admin, `Shop ${n}`);
  const { product } = await admin.api.post<{ product: { id: string } }>(CATALOG, 'CreateProduct', {
    product: aProduct(category.id, 2500),
  });
  const customer = await signIn(system, `buyer-${n}@e2e.test`, `Buyer ${n}`);
  const phone = aPhoneNumber();
  await setPhone(customer, phone);
  const order = await placeOrder(customer, phone, [{ productId: product.id, quantity: 2 }]);

  await asAdmin();
  await section('Orders').click();
  await page.getByLabel('Order number').fill(order.number.toLowerCase());
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByRole('link', { name: order.number }).click();
  await page.getByRole('heading', { name: `Order ${order.number}` }).waitFor();
  const actions = page.getByRole('form', { name: 'Next steps' });
  if (order.status === 'ORDER_STATUS_PENDING') {
    // Pay on delivery confirms at placement by default (PAY_ON_DELIVERY_CONFIRMS); otherwise the admin does.
    expect(await actions.getByRole('button').allInnerTexts()).toEqual(['Confirm', 'Cancel order']);
    await actions.getByRole('button', { name: 'Confirm' }).click();
    await expectText(page.getByRole('heading', { name: `Order ${order.number}` }), 'Confirmed');
  }
  // Only the moves legal from confirmed are offered.
  expect(await actions.getByRole('button').allInnerTexts()).toEqual(['Mark shipped', 'Cancel order']);

  await actions.getByLabel(/Reason/).fill('handed to the courier');
  await actions.getByRole('button', { name: 'Mark shipped' }).click();
  await expectText(page.getByRole('heading', { name: `Order ${order.number}` }), 'Shipped');
  expect(await actions.getByRole('button').allInnerTexts()).toEqual(['Mark delivered']);
  await actions.getByRole('button', { name: 'Mark delivered' }).click();
  await expectText(page.getByRole('heading', { name: `Order ${order.number}` }), 'Delivered');
  await page.getByText('No further steps').waitFor();
  await expectText(page.locator('.history'), 'handed to the courier');

  const sms = await eventually('confirmed, shipped and delivered SMS', async () => {
    const received = await smsTo(system, phone);
    return received.length >= 3 ? received : undefined;
  });
  expect(sms.map((m) => m.body).join('\n')).toMatch(/shipped[\s\S]*delivered/i);
  // The order page lists the notifications its events caused, with their state.
  const sent = page.getByRole('region', { name: 'Notifications' });
  await eventually('the delivered SMS shown as sent', async () => {
    await page.reload();
    // The list is there once the page has fetched it: a table, or the line saying there is none yet.
    await sent.locator('tbody tr, p').first().waitFor();
    const rows = await sent.locator('tbody tr').allInnerTexts();
    return rows.some((r) => r.startsWith('delivered') && r.includes(phone) && r.includes('sent')) ? true : undefined;
  });
  await screenshot(page, 'order');
});

test('a dead notification is listed with its reason and replayed from the console', async () => {
  const n = id();
  const category = await createCategory(admin, `Dead ${n}`);
  const { product } = await admin.api.post<{ product: { id: string; name: string } }>(CATALOG, 'CreateProduct', {
    product: aProduct(category.id, 990, { stockOnHand: '3' }),
  });
  const customer = await signIn(system, `unlucky-${n}@e2e.test`, `Unlucky ${n}`);
  const phone = aPhoneNumber();
  await setPhone(customer, phone);
  // The provider refuses the next message permanently, so the notification goes dead at once.
  system.sms.failNext({ kind: 'permanent', code: 21614 });
  await placeOrder(customer, phone, [{ productId: product.id, quantity: 1 }]);
  await eventually('the dead SMS', async () => {
    const { notifications = [] } = await admin.api.post<{ notifications?: Json[] }>(
      NOTIFICATIONS,
      'ListDeadNotifications',
      {
        pageSize: 100,
      },
    );
    return notifications.find((x) => x.recipient === phone);
  });

  await asAdmin();
  // The dashboard counts it as needing attention, and the product left with 2 units as low on stock.
  await expectText(page.locator('.card.alert'), 'Failed notifications');
  await expectText(page.locator('.low-stock'), product.name);
  await screenshot(page, 'dashboard-busy');
  await section('Notifications').click();
  const replay = page.getByRole('button', { name: `Replay the SMS to ${phone}` });
  await replay.waitFor();
  await screenshot(page, 'dead-notifications');
  await replay.click();
  await page.getByText(/^Replayed 1/).waitFor();
  const sms = await eventually('the replayed SMS', async () => {
    const received = await smsTo(system, phone);
    return received.length > 0 ? received : undefined;
  });
  expect(sms).toHaveLength(1);
});

test('works at phone width: the dashboard and the navigation fit without sideways scrolling', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await asAdmin();
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow).toBeLessThanOrEqual(0);
  // Keyboard: the skip link is the first stop and lands on the page's content.
  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
  await screenshot(page, 'dashboard-phone');
});

interface Node {
  category: { id: string; name: string };
  children?: Node[];
}

function pathOf(nodes: Node[], name: string, above: string[] = []): string[] {
  for (const node of nodes) {
    const here = [...above, node.category.name];
    if (node.category.name === name) return here;
    const below = pathOf(node.children ?? [], name, here);
    if (below.length) return below;
  }
  return [];
}

function idsOf(nodes: Node[]): Record<string, string> {
  return Object.assign({}, ...nodes.map((x) => ({ [x.category.name]: x.category.id, ...idsOf(x.children ?? []) })));
}

/** Waits until the element's text contains `text` (the page updates after the API answers). */
async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await eventually(
    `"${text}" on the page`,
    async () => ((await locator.innerText()).includes(text) ? true : undefined),
    {
      timeoutMs: 15_000,
    },
  );
}
