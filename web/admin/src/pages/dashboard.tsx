import { type Timestamp, timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type Client, createClient } from '@connectrpc/connect';
import { useTransport } from '@connectrpc/connect-query';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { NotificationAdminService } from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import { type Order, OrderService, OrderStatus } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { useQuery } from '@tanstack/react-query';
import { formatMoney, localMidnight } from '../format.js';
import { Link } from '../router.js';
import { ErrorBox, Loading } from '../ui/common.js';

/** Products with fewer units available than this are "low". */
const LOW_STOCK = 5;
/** The dashboard reads at most this many pages of each list, so a huge shop cannot stall it. */
const MAX_PAGES = 20;

/** Every item of a paged list, up to MAX_PAGES pages of 100. */
async function all<T>(page: (token: string) => Promise<{ items: T[]; next: string }>): Promise<T[]> {
  const out: T[] = [];
  let token = '';
  for (let i = 0; i < MAX_PAGES; i++) {
    const p = await page(token);
    out.push(...p.items);
    if (!p.next) break;
    token = p.next;
  }
  return out;
}

async function figures(
  orders: Client<typeof OrderService>,
  catalog: Client<typeof CatalogService>,
  notifications: Client<typeof NotificationAdminService>,
) {
  const weekStart = localMidnight(undefined, 6);
  const todayStart = localMidnight();
  const listed = (filter: { status?: OrderStatus; createdAfter?: Timestamp }) =>
    all<Order>(async (pageToken) => {
      const r = await orders.listOrders({ ...filter, pageSize: 100, pageToken });
      return { items: r.orders, next: r.nextPageToken };
    });
  const [week, pending, confirmed, shipped, products, dead] = await Promise.all([
    listed({ createdAfter: timestampFromDate(weekStart) }),
    listed({ status: OrderStatus.PENDING }),
    listed({ status: OrderStatus.CONFIRMED }),
    listed({ status: OrderStatus.SHIPPED }),
    all(async (pageToken) => {
      const r = await catalog.listProducts({ pageSize: 100, pageToken });
      return { items: r.products, next: r.nextPageToken };
    }),
    all(async (pageToken) => {
      const r = await notifications.listDeadNotifications({ pageSize: 100, pageToken });
      return { items: r.notifications, next: r.nextPageToken };
    }),
  ]);
  const sold = week.filter((o) => o.status !== OrderStatus.CANCELLED);
  const today = sold.filter((o) => o.createdAt && timestampDate(o.createdAt) >= todayStart);
  return {
    today: { count: today.length, revenue: sum(today) },
    week: { count: sold.length, revenue: sum(sold) },
    waiting: { confirm: pending.length, ship: confirmed.length, deliver: shipped.length },
    lowStock: products
      .filter((p) => p.stockAvailable < LOW_STOCK)
      .sort((a, b) => Number(a.stockAvailable - b.stockAvailable)),
    dead: dead.length,
  };
}

/** Revenue of orders in their one catalog currency (taken from the orders themselves). */
function sum(orders: Order[]) {
  const currencyCode = orders[0]?.total?.currencyCode ?? '';
  return { currencyCode, amountMinor: orders.reduce((s, o) => s + (o.total?.amountMinor ?? 0n), 0n) };
}

/** Orders and revenue today and over the last 7 days (browser time zone), work waiting, low stock, failed notifications. */
export function DashboardPage() {
  const transport = useTransport();
  const q = useQuery({
    queryKey: ['dashboard'],
    queryFn: () =>
      figures(
        createClient(OrderService, transport),
        createClient(CatalogService, transport),
        createClient(NotificationAdminService, transport),
      ),
  });
  if (q.isPending) return <Loading what="the dashboard" />;
  if (q.error) return <ErrorBox error={q.error} />;
  const f = q.data;
  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">Dashboard</h1>
      <div className="cards">
        <Card title="Today" value={`${f.today.count} orders`} detail={formatMoney(f.today.revenue)} />
        <Card title="Last 7 days" value={`${f.week.count} orders`} detail={formatMoney(f.week.revenue)} />
        <Card title="To confirm" value={String(f.waiting.confirm)} to="/orders?status=1" />
        <Card title="To ship" value={String(f.waiting.ship)} to="/orders?status=2" />
        <Card title="To deliver" value={String(f.waiting.deliver)} to="/orders?status=3" />
        <Card title="Failed notifications" value={String(f.dead)} to="/notifications" alert={f.dead > 0} />
      </div>
      <h2>Low stock (fewer than {LOW_STOCK} available)</h2>
      {f.lowStock.length === 0 ? (
        <p>Every active product has stock.</p>
      ) : (
        <ul className="low-stock">
          {f.lowStock.slice(0, 20).map((p) => (
            <li key={p.id}>
              <Link to={`/products?edit=${p.id}`}>{p.name}</Link> ({p.sku}): {p.stockAvailable.toString()} available
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Card(props: { title: string; value: string; detail?: string; to?: string; alert?: boolean }) {
  const body = (
    <>
      <span className="card-title">{props.title}</span>
      <span className="card-value">{props.value}</span>
      {props.detail && <span className="card-detail">{props.detail}</span>}
    </>
  );
  return (
    <div className={`card${props.alert ? ' alert' : ''}`}>{props.to ? <Link to={props.to}>{body}</Link> : body}</div>
  );
}
