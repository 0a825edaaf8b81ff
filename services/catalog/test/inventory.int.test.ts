import { randomUUID } from 'node:crypto';
import { Code, ConnectError } from '@connectrpc/connect';
import { ADMIN, type Catalog, aCategory, aProduct, expectRpcError, startCatalog, violatedFields } from './fixtures';

describe('inventory', () => {
  let c: Catalog;
  let cat: string;
  const newProduct = async (stock: bigint, overrides = {}) =>
    (await c.catalog.createProduct({ product: aProduct(cat, { stockOnHand: stock, ...overrides }) }, ADMIN)).product!;
  const stock = async (id: string) => {
    const [r] = await c.sql<{ on_hand: string; reserved: string }>(
      'select stock_on_hand::text as on_hand, reserved::text from products where id = $1',
      [id],
    );
    return { onHand: Number(r!.on_hand), reserved: Number(r!.reserved) };
  };

  beforeAll(async () => {
    // A fast sweeper; the expiry test back-dates one reservation instead of waiting out a short TTL,
    // so no other reservation here can expire mid-test.
    c = await startCatalog({ RESERVATION_TTL_SECONDS: '600', SWEEP_INTERVAL_MS: '200' });
    cat = await aCategory(c);
  });
  afterAll(() => c?.stop());

  it('reserves all lines with a price snapshot, summing duplicate lines, once per order id', async () => {
    const p = await newProduct(10n);
    const q = await newProduct(10n);
    const orderId = randomUUID();
    const req = {
      orderId,
      lines: [
        { productId: p.id, quantity: 2n },
        { productId: q.id, quantity: 1n },
        { productId: p.id, quantity: 3n },
      ],
    };
    const first = await c.inventory.reserveStock(req);
    expect(first.items.find((i) => i.productId === p.id)).toMatchObject({
      quantity: 5n,
      sku: p.sku,
      name: p.name,
      taxClass: 'standard',
      unitPrice: { amountMinor: 1000n, currencyCode: 'KES' },
    });
    const ttl = Number(first.expiresAt!.seconds) - Date.now() / 1000;
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(601);
    const again = await c.inventory.reserveStock(req);
    expect(again.reservationId).toBe(first.reservationId);
    expect(await stock(p.id)).toEqual({ onHand: 10, reserved: 5 });
    await expectRpcError(
      c.inventory.reserveStock({ orderId, lines: [{ productId: p.id, quantity: 1n }] }),
      Code.AlreadyExists,
      'order_id',
    );
  });

  it('is all or nothing: one short line reserves nothing and names that line', async () => {
    const plenty = await newProduct(10n);
    const scarce = await newProduct(1n);
    await expectRpcError(
      c.inventory.reserveStock({
        orderId: randomUUID(),
        lines: [
          { productId: plenty.id, quantity: 4n },
          { productId: scarce.id, quantity: 2n },
        ],
      }),
      Code.FailedPrecondition,
      'lines[1].product_id',
    );
    expect(await stock(plenty.id)).toEqual({ onHand: 10, reserved: 0 });
    const inactive = await newProduct(5n, { active: false });
    await expectRpcError(
      c.inventory.reserveStock({ orderId: randomUUID(), lines: [{ productId: inactive.id, quantity: 1n }] }),
      Code.FailedPrecondition,
      'lines[0].product_id',
    );
    await expectRpcError(
      c.inventory.reserveStock({ orderId: randomUUID(), lines: [{ productId: randomUUID(), quantity: 1n }] }),
      Code.FailedPrecondition,
      'lines[0].product_id',
    );
  });

  it('rejects bad reservation input naming the field', async () => {
    await expectRpcError(c.inventory.reserveStock({ orderId: 'x', lines: [] }), Code.InvalidArgument, 'order_id');
    const err = await expectRpcError(
      c.inventory.reserveStock({ orderId: randomUUID(), lines: [{ productId: randomUUID(), quantity: 0n }] }),
      Code.InvalidArgument,
    );
    expect(violatedFields(err)).toEqual(['lines[0].quantity']);
  });

  it('commits once: stock leaves on-hand, and commit, release and restock are idempotent', async () => {
    const p = await newProduct(10n);
    const orderId = randomUUID();
    await c.inventory.reserveStock({ orderId, lines: [{ productId: p.id, quantity: 3n }] });
    await c.inventory.commitReservation({ orderId });
    await c.inventory.commitReservation({ orderId });
    expect(await stock(p.id)).toEqual({ onHand: 7, reserved: 0 });
    expect((await c.inventory.releaseReservation({ orderId })).released).toBe(false);
    expect(await stock(p.id)).toEqual({ onHand: 7, reserved: 0 });
    await c.inventory.restockOrder({ orderId });
    await c.inventory.restockOrder({ orderId });
    expect(await stock(p.id)).toEqual({ onHand: 10, reserved: 0 });
  });

  it('releases once, and refuses to commit a released reservation', async () => {
    const p = await newProduct(10n);
    const orderId = randomUUID();
    await c.inventory.reserveStock({ orderId, lines: [{ productId: p.id, quantity: 4n }] });
    expect((await c.inventory.releaseReservation({ orderId })).released).toBe(true);
    expect((await c.inventory.releaseReservation({ orderId })).released).toBe(false);
    expect(await stock(p.id)).toEqual({ onHand: 10, reserved: 0 });
    await expectRpcError(c.inventory.commitReservation({ orderId }), Code.FailedPrecondition, 'order_id');
    await expectRpcError(c.inventory.restockOrder({ orderId }), Code.FailedPrecondition, 'order_id');
    await expectRpcError(c.inventory.commitReservation({ orderId: randomUUID() }), Code.NotFound);
    expect((await c.inventory.releaseReservation({ orderId: randomUUID() })).released).toBe(false);
  });

  it('takes a released reservation again for a retry of the same order, once, and only while the stock is there', async () => {
    const p = await newProduct(10n);
    const orderId = randomUUID();
    const lines = [{ productId: p.id, quantity: 4n }];
    await c.inventory.reserveStock({ orderId, lines });
    await c.inventory.releaseReservation({ orderId });
    // The placement's retry: the same order id and lines take the stock again, and only once.
    await c.inventory.reserveStock({ orderId, lines });
    await c.inventory.reserveStock({ orderId, lines });
    expect(await stock(p.id)).toEqual({ onHand: 10, reserved: 4 });
    await c.inventory.commitReservation({ orderId });
    expect(await stock(p.id)).toEqual({ onHand: 6, reserved: 0 });

    // Other lines for a known order are still refused, released or not.
    const other = randomUUID();
    await c.inventory.reserveStock({ orderId: other, lines });
    await c.inventory.releaseReservation({ orderId: other });
    await expectRpcError(
      c.inventory.reserveStock({ orderId: other, lines: [{ productId: p.id, quantity: 5n }] }),
      Code.AlreadyExists,
      'order_id',
    );

    // Sold to someone else meanwhile: the retry is refused like any reservation, and nothing moves.
    await c.inventory.reserveStock({ orderId: randomUUID(), lines: [{ productId: p.id, quantity: 6n }] });
    await expectRpcError(
      c.inventory.reserveStock({ orderId: other, lines }),
      Code.FailedPrecondition,
      'lines[0].product_id',
    );
    expect(await stock(p.id)).toEqual({ onHand: 6, reserved: 6 });
  });

  it('sweeps an overdue uncommitted reservation: it expires and its stock returns', async () => {
    const p = await newProduct(5n);
    const orderId = randomUUID();
    await c.inventory.reserveStock({ orderId, lines: [{ productId: p.id, quantity: 5n }] });
    expect(await stock(p.id)).toEqual({ onHand: 5, reserved: 5 });
    await c.sql("update reservations set expires_at = now() - interval '1 second' where order_id = $1", [orderId]);
    const deadline = Date.now() + 15_000;
    while ((await stock(p.id)).reserved !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await stock(p.id)).toEqual({ onHand: 5, reserved: 0 });
    expect(
      (await c.sql<{ status: string }>('select status from reservations where order_id = $1', [orderId]))[0]!.status,
    ).toBe('expired');
    await expectRpcError(c.inventory.commitReservation({ orderId }), Code.FailedPrecondition, 'order_id');
  });

  it('never oversells: 200 concurrent 1-unit reservations against 20 in stock, exactly 20 succeed', async () => {
    const p = await newProduct(20n);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        c.inventory.reserveStock({ orderId: randomUUID(), lines: [{ productId: p.id, quantity: 1n }] }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [ConnectError.from(r.reason)] : []));
    expect(ok).toHaveLength(20);
    expect(failed).toHaveLength(180);
    expect(new Set(failed.map((e) => Code[e.code]))).toEqual(new Set(['FailedPrecondition']));
    expect(failed.every((e) => violatedFields(e).includes('lines[0].product_id') && e.rawMessage.includes(p.id))).toBe(
      true,
    );
    expect(await stock(p.id)).toEqual({ onHand: 20, reserved: 20 });
    const [neg] = await c.sql<{ n: string }>('select count(*) as n from products where stock_on_hand - reserved < 0');
    expect(neg!.n).toBe('0');
    const [held] = await c.sql<{ n: string }>(
      "select count(*) as n from reservations r join reservation_lines l using (order_id) where l.product_id = $1 and r.status = 'reserved'",
      [p.id],
    );
    expect(held!.n).toBe('20');
  });
});
