import { useQuery } from '@connectrpc/connect-query';
import { CustomerService, Role } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import { useQuery as useTanstackQuery } from '@tanstack/react-query';
import { accessToken, SIGN_IN_URL, signOut } from './api/session.js';
import { CatalogPage } from './pages/catalog.js';
import { CustomerPage, CustomersPage } from './pages/customers.js';
import { DashboardPage } from './pages/dashboard.js';
import { NotificationsPage } from './pages/notifications.js';
import { OrderPage } from './pages/order.js';
import { OrdersPage } from './pages/orders.js';
import { ProductsPage } from './pages/products.js';
import { Link, useLocation } from './router.js';
import { ErrorBox, Loading } from './ui/common.js';

const NAV = [
  ['/', 'Dashboard'],
  ['/orders', 'Orders'],
  ['/catalog', 'Catalog'],
  ['/products', 'Products'],
  ['/customers', 'Customers'],
  ['/notifications', 'Notifications'],
] as const;

/** Signed in (a refresh cookie works) and an admin, or a page saying why not. */
export function App() {
  const session = useTanstackQuery({ queryKey: ['session'], queryFn: async () => (await accessToken()) ?? null });
  if (session.isPending) return <Loading what="your session" />;
  if (session.error) return <ErrorBox error={session.error} />;
  if (!session.data) return <SignIn />;
  return <AdminGate />;
}

function SignIn() {
  return (
    <main className="centered">
      <h1>Order system admin</h1>
      <p>Sign in with your shop account to manage orders, the catalog and customers.</p>
      <a className="button" href={SIGN_IN_URL}>
        Sign in
      </a>
    </main>
  );
}

function AdminGate() {
  const me = useQuery(CustomerService.method.getMe, {});
  if (me.isPending) return <Loading what="your profile" />;
  if (me.error) return <ErrorBox error={me.error} />;
  const customer = me.data.customer;
  if (!customer?.roles.includes(Role.ADMIN)) {
    return (
      <main className="centered">
        <h1>Not an administrator</h1>
        <p>
          You are signed in as {customer?.email}, which does not hold the admin role. Ask an administrator to grant it,
          or sign in with another account.
        </p>
        <SignOutButton />
      </main>
    );
  }
  return <Shell email={customer.email} />;
}

function SignOutButton() {
  return (
    <button type="button" onClick={() => void signOut().then(() => window.location.assign('/admin'))}>
      Sign out
    </button>
  );
}

function Shell({ email }: { email: string }) {
  const { path } = useLocation();
  const section = `/${path.split('/')[1] ?? ''}`;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <strong>Order system admin</strong>
        <nav aria-label="Sections">
          {NAV.map(([to, label]) => (
            <Link key={to} to={to} aria-current={section === to ? 'page' : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <span className="who">
          {email} <SignOutButton />
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} />
      </main>
    </>
  );
}

function Page({ path }: { path: string }) {
  const [, section, id] = path.split('/');
  switch (section) {
    case '':
      return <DashboardPage />;
    case 'orders':
      return id ? <OrderPage id={id} /> : <OrdersPage />;
    case 'catalog':
      return <CatalogPage />;
    case 'products':
      return <ProductsPage />;
    case 'customers':
      return id ? <CustomerPage id={id} /> : <CustomersPage />;
    case 'notifications':
      return <NotificationsPage />;
    default:
      return <p>No such page.</p>;
  }
}
