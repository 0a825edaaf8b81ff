import { useMutation, useQuery } from '@connectrpc/connect-query';
import { CatalogService, type Product, ProductSort } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { formatMoney, minorToText, parseMinor } from '../format.js';
import { useLocation } from '../router.js';
import { CategoryOptions } from '../ui/category-options.js';
import { ErrorBox, Field, Loading } from '../ui/common.js';
import { DataTable } from '../ui/data-table.js';
import { PagedList } from '../ui/paged-list.js';
import { useCursor } from '../ui/use-cursor.js';
import { BulkUpload } from './bulk-upload.js';
import { flatten } from './catalog.js';
import { useCatalogCurrency } from './use-catalog-currency.js';

/** Active products as ListProducts allows: search, category (with descendants), stock, sort; plus create, edit, deactivate. */
export function ProductsPage() {
  const { params } = useLocation();
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState({ query: '', categoryId: '', inStockOnly: false, sort: ProductSort.NAME });
  const [editing, setEditing] = useState<string | undefined>(params.get('edit') ?? undefined);
  const [categoryId, setCategoryId] = useState('');
  const [inStockOnly, setInStockOnly] = useState(false);
  const [sort, setSort] = useState(ProductSort.NAME);
  const cursor = useCursor();
  const tree = useQuery(CatalogService.method.getCategoryTree, {});
  const categories = flatten(tree.data?.roots ?? []);
  const list = useQuery(CatalogService.method.listProducts, {
    query: filters.query,
    ...(filters.categoryId ? { categoryId: filters.categoryId, includeDescendants: true } : {}),
    inStockOnly: filters.inStockOnly,
    sort: filters.query ? ProductSort.UNSPECIFIED : filters.sort,
    pageSize: 25,
    pageToken: cursor.token,
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    cursor.reset();
    setFilters({ query, categoryId, inStockOnly, sort });
  };
  const categoryName = (id: string) => categories.find((c) => c.id === id)?.name ?? '';
  return (
    <section aria-labelledby="products-title">
      <h1 id="products-title">Products</h1>
      <form className="filters" role="search" aria-label="Search products" onSubmit={apply}>
        <Field label="Search">
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </Field>
        <Field label="Category (with subcategories)">
          <select value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
            <option value="">Any</option>
            <CategoryOptions categories={categories} />
          </select>
        </Field>
        <Field label="Sort">
          <select value={sort} onChange={(e) => setSort(Number(e.target.value) as ProductSort)}>
            <option value={ProductSort.NAME}>Name</option>
            <option value={ProductSort.PRICE_ASC}>Price, lowest first</option>
            <option value={ProductSort.PRICE_DESC}>Price, highest first</option>
            <option value={ProductSort.NEWEST}>Newest</option>
          </select>
        </Field>
        <label className="check">
          <input type="checkbox" checked={inStockOnly} onChange={(e) => setInStockOnly(e.target.checked)} /> In stock
          only
        </label>
        <button type="submit">Search</button>
      </form>
      <p>
        <button type="button" onClick={() => setEditing('new')}>
          New product
        </button>
      </p>
      {editing && (
        <ProductForm
          key={editing}
          id={editing === 'new' ? undefined : editing}
          categories={categories}
          onDone={() => setEditing(undefined)}
        />
      )}
      <PagedList list={list} what="products" cursor={cursor}>
        {(data) => (
          <>
            <DataTable
              columns={[
                'Name',
                'SKU',
                'Category',
                'Price',
                'Available / on hand',
                <span className="sr-only">Actions</span>,
              ]}
            >
              {data.products.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{p.sku}</td>
                  <td>{categoryName(p.categoryId)}</td>
                  <td className="num">{formatMoney(p.price)}</td>
                  <td className="num">
                    {p.stockAvailable.toString()} / {p.stockOnHand.toString()}
                  </td>
                  <td>
                    <button type="button" onClick={() => setEditing(p.id)} aria-label={`Edit ${p.name}`}>
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
            {data.products.length === 0 && <p>No products match.</p>}
          </>
        )}
      </PagedList>
      <BulkUpload loadCategories={async () => flatten((await tree.refetch()).data?.roots ?? [])} />
    </section>
  );
}

interface Draft {
  sku: string;
  name: string;
  description: string;
  price: string;
  categoryId: string;
  taxClass: string;
  stock: string;
  active: boolean;
}

function draftOf(p: Product | undefined, currency: string): Draft {
  return {
    sku: p?.sku ?? '',
    name: p?.name ?? '',
    description: p?.description ?? '',
    price: p?.price ? minorToText(p.price.amountMinor, currency) : '',
    categoryId: p?.categoryId ?? '',
    taxClass: p?.taxClass ?? 'standard',
    stock: p ? p.stockOnHand.toString() : '0',
    active: p?.active ?? true,
  };
}

/** Create a product, or edit one (name, description, price, category, tax class, stock on hand) and deactivate it. */
function ProductForm(props: { id?: string; categories: ReturnType<typeof flatten>; onDone(): void }) {
  const currency = useCatalogCurrency();
  const existing = useQuery(CatalogService.method.getProduct, { id: props.id ?? '' }, { enabled: Boolean(props.id) });
  if (props.id && existing.isPending) return <Loading what="the product" />;
  if (props.id && existing.error) return <ErrorBox error={existing.error} />;
  if (!currency) return <Loading what="the catalog currency" />;
  return <ProductFields {...props} product={existing.data?.product} currency={currency} />;
}

function ProductFields(props: {
  id?: string;
  product?: Product;
  currency: string;
  categories: ReturnType<typeof flatten>;
  onDone(): void;
}) {
  const qc = useQueryClient();
  const done = { onSuccess: () => (qc.invalidateQueries(), props.onDone()) };
  const create = useMutation(CatalogService.method.createProduct, done);
  const update = useMutation(CatalogService.method.updateProduct, done);
  const deactivate = useMutation(CatalogService.method.deactivateProduct, done);
  const [d, setD] = useState<Draft>(() => draftOf(props.product, props.currency));
  const [priceError, setPriceError] = useState('');
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setD({ ...d, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const minor = parseMinor(d.price, props.currency);
    if (minor === undefined) {
      setPriceError(`price must be an amount in ${props.currency}, e.g. 12.50`);
      return;
    }
    setPriceError('');
    // The SKU and the active flag are set once, at creation; an edit changes only the rest.
    const editable = {
      name: d.name,
      description: d.description,
      price: { currencyCode: props.currency, amountMinor: minor },
      categoryId: d.categoryId,
      taxClass: d.taxClass,
      stockOnHand: BigInt(d.stock || '0'),
    };
    if (props.id) {
      update.mutate({ id: props.id, ...editable });
    } else {
      create.mutate({ product: { sku: d.sku, ...editable, active: d.active } });
    }
  };
  return (
    <form
      className="panel"
      aria-label={props.id ? `Edit ${props.product?.name ?? ''}` : 'New product'}
      onSubmit={submit}
    >
      <h2>{props.id ? `Edit ${props.product?.name ?? ''}` : 'New product'}</h2>
      <div className="grid">
        <Field label="SKU">
          <input value={d.sku} onChange={set('sku')} required disabled={Boolean(props.id)} />
        </Field>
        <Field label="Name">
          <input value={d.name} onChange={set('name')} required />
        </Field>
        <Field label={`Price (${props.currency})`}>
          <input
            value={d.price}
            onChange={set('price')}
            inputMode="decimal"
            required
            aria-invalid={Boolean(priceError)}
          />
        </Field>
        <Field label="Category">
          <select value={d.categoryId} onChange={set('categoryId')} required>
            <option value="">Choose…</option>
            <CategoryOptions categories={props.categories} />
          </select>
        </Field>
        <Field label="Tax class">
          <input value={d.taxClass} onChange={set('taxClass')} required />
        </Field>
        <Field label="Stock on hand">
          <input type="number" min={0} step={1} value={d.stock} onChange={set('stock')} required />
        </Field>
      </div>
      <Field label="Description">
        <textarea value={d.description} onChange={set('description')} rows={3} />
      </Field>
      {priceError && (
        <p role="alert" className="error">
          {priceError}
        </p>
      )}
      <div className="row">
        <button type="submit">{props.id ? 'Save' : 'Create product'}</button>
        {props.id && props.product?.active && (
          <button type="button" className="danger" onClick={() => deactivate.mutate({ id: props.id! })}>
            Deactivate
          </button>
        )}
        <button type="button" onClick={props.onDone}>
          Close
        </button>
      </div>
      <ErrorBox error={create.error ?? update.error ?? deactivate.error} />
    </form>
  );
}
