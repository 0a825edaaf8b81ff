import { useMutation } from '@connectrpc/connect-query';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { CatalogService, type ProductInputSchema } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { shownError } from '../api/errors.js';
import { parseCsv } from '../csv.js';
import { parseMinor } from '../format.js';
import { ErrorBox, Field } from '../ui/common.js';
import type { flatten } from './catalog.js';
import { useCatalogCurrency } from './use-catalog-currency.js';

/** The header the file must have; `category` is a category's slug, `price` an amount in the catalog currency. */
export const CSV_COLUMNS = ['sku', 'name', 'description', 'price', 'category', 'tax_class', 'stock', 'active'] as const;

interface RowProblem {
  /** Row of the file (the header is row 1). */
  line: number;
  field: string;
  description: string;
}

type Categories = ReturnType<typeof flatten>;

/** Reads the file into products, or lists every problem by line and field; nothing is sent while there is one. */
export function readProducts(
  text: string,
  currency: string,
  categories: Categories,
): { products: MessageInitShape<typeof ProductInputSchema>[]; problems: RowProblem[] } {
  const [header = [], ...rows] = parseCsv(text);
  const cols = header.map((h) => h.trim().toLowerCase());
  const missing = CSV_COLUMNS.filter((c) => c !== 'description' && c !== 'active' && !cols.includes(c));
  if (missing.length)
    return {
      products: [],
      problems: missing.map((c) => ({ line: 1, field: c, description: 'column missing from the header' })),
    };
  const problems: RowProblem[] = [];
  const products = rows.map((cells, i) => {
    const line = i + 2;
    const get = (c: string) => (cells[cols.indexOf(c)] ?? '').trim();
    const bad = (field: string, description: string) => problems.push({ line, field, description });
    const minor = parseMinor(get('price'), currency);
    if (minor === undefined) bad('price', `must be an amount in ${currency}, e.g. 12.50`);
    const category = categories.find((c) => c.slug === get('category') || c.id === get('category'));
    if (!category) bad('category', `no category with the slug "${get('category')}"`);
    const stock = get('stock');
    if (!/^\d+$/.test(stock)) bad('stock', 'must be a whole number of units, 0 or more');
    const active = get('active').toLowerCase();
    if (active && !['true', 'false', 'yes', 'no', '1', '0'].includes(active)) bad('active', 'must be true or false');
    if (!get('sku')) bad('sku', 'required');
    if (!get('name')) bad('name', 'required');
    return {
      sku: get('sku'),
      name: get('name'),
      description: get('description'),
      price: { currencyCode: currency, amountMinor: minor ?? 0n },
      categoryId: category?.id ?? '',
      taxClass: get('tax_class') || 'standard',
      stockOnHand: /^\d+$/.test(stock) ? BigInt(stock) : 0n,
      active: active === '' || ['true', 'yes', '1'].includes(active),
    };
  });
  if (products.length === 0) problems.push({ line: 2, field: '', description: 'the file has no product rows' });
  return { products, problems };
}

/** The API names fields as products[3].sku: row 3 of the request is line 5 of the file. */
function fromApi(err: unknown): RowProblem[] {
  return shownError(err).fields.map(({ field, description }) => {
    const m = /^products\[(\d+)\]\.?(.*)$/.exec(field);
    return m ? { line: Number(m[1]) + 2, field: m[2] || field, description } : { line: 0, field, description };
  });
}

/** Bulk upload from a CSV chosen in the browser: all rows or none (the API writes them in one transaction). */
export function BulkUpload({ loadCategories }: { loadCategories: () => Promise<Categories> }) {
  const currency = useCatalogCurrency();
  const qc = useQueryClient();
  const upload = useMutation(CatalogService.method.bulkUploadProducts, { onSuccess: () => qc.invalidateQueries() });
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [file, setFile] = useState<File>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    upload.reset();
    if (!file || !currency) return;
    // Checked against the tree as it is now, not as the page last loaded it: a category created a
    // moment ago (in another tab, or through the API) must be found.
    const read = readProducts(await file.text(), currency, await loadCategories());
    setProblems(read.problems);
    if (read.problems.length > 0) return;
    upload.mutate({ products: read.products }, { onError: (err) => setProblems(fromApi(err)) });
  };
  const shown = problems.length > 0;
  return (
    <section className="panel" aria-labelledby="bulk-title">
      <h2 id="bulk-title">Bulk upload</h2>
      <p>
        A CSV file with the header <code>{CSV_COLUMNS.join(',')}</code>; <code>category</code> is the category&apos;s
        slug, <code>price</code> an amount in {currency ?? 'the catalog currency'}. Every row is checked first: if any
        row is wrong, nothing is written.
      </p>
      <form onSubmit={(e) => void submit(e)} aria-label="Bulk upload">
        <Field label="CSV file">
          <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0])} required />
        </Field>
        <button type="submit" disabled={upload.isPending || !currency}>
          Upload
        </button>
      </form>
      {shown && (
        <div role="alert" className="error">
          <p>Nothing was written. Fix these rows and upload the file again:</p>
          <table>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Field</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p, i) => (
                <tr key={i}>
                  <td>{p.line || '—'}</td>
                  <td>{p.field}</td>
                  <td>{p.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {upload.error && problems.length === 0 && <ErrorBox error={upload.error} />}
      {upload.data && (
        <p role="status">
          Created {upload.data.created.length} product{upload.data.created.length === 1 ? '' : 's'}.
        </p>
      )}
    </section>
  );
}
