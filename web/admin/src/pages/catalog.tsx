import { useMutation, useQuery } from '@connectrpc/connect-query';
import { type CategoryNode, CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { formatMoney } from '../format.js';
import { CategoryOptions } from '../ui/category-options.js';
import { ErrorBox, Field, Loading } from '../ui/common.js';

/** Every category with its depth, in tree order: the options of "move to" and of the product form. */
export function flatten(nodes: CategoryNode[], depth = 0): { id: string; name: string; slug: string; depth: number }[] {
  return nodes.flatMap((n) => [
    { id: n.category!.id, name: n.category!.name, slug: n.category!.slug, depth },
    ...flatten(n.children, depth + 1),
  ]);
}

/** The category tree of any depth; choosing a category opens its panel. */
export function CatalogPage() {
  const tree = useQuery(CatalogService.method.getCategoryTree, {});
  const [selected, setSelected] = useState<string>();
  if (tree.isPending) return <Loading what="the category tree" />;
  if (tree.error) return <ErrorBox error={tree.error} />;
  const all = flatten(tree.data.roots);
  return (
    <section aria-labelledby="catalog-title">
      <h1 id="catalog-title">Catalog</h1>
      <div className="columns">
        <div>
          <h2>Categories</h2>
          {all.length === 0 && <p>No categories yet.</p>}
          <Tree nodes={tree.data.roots} selected={selected} onSelect={setSelected} />
          <CreateCategory parentId="" label="New top-level category" onCreated={setSelected} />
        </div>
        <div>
          {selected && all.some((c) => c.id === selected) ? (
            <CategoryPanel
              key={selected}
              id={selected}
              all={all}
              onDeleted={() => setSelected(undefined)}
              onCreated={setSelected}
            />
          ) : (
            <p>Choose a category to see its statistics and change it.</p>
          )}
        </div>
      </div>
    </section>
  );
}

function Tree(props: { nodes: CategoryNode[]; selected?: string; onSelect(id: string): void }) {
  if (props.nodes.length === 0) return null;
  return (
    <ul className="tree">
      {props.nodes.map((n) => (
        <li key={n.category!.id}>
          <button
            type="button"
            className="link"
            aria-pressed={props.selected === n.category!.id}
            onClick={() => props.onSelect(n.category!.id)}
          >
            {n.category!.name}
          </button>
          <Tree nodes={n.children} selected={props.selected} onSelect={props.onSelect} />
        </li>
      ))}
    </ul>
  );
}

function useInvalidate() {
  const qc = useQueryClient();
  return { onSuccess: () => qc.invalidateQueries() };
}

/** "Garden & Tools" → "garden-tools": the slug offered until the admin types their own. */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function CreateCategory(props: { parentId: string; label: string; onCreated(id: string): void }) {
  const [name, setName] = useState('');
  const [slug, setSlug] = useState<string>();
  const create = useMutation(CatalogService.method.createCategory, useInvalidate());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name, slug: slug ?? slugOf(name), parentId: props.parentId },
      {
        onSuccess: (r) => {
          setName('');
          setSlug(undefined);
          if (r.category) props.onCreated(r.category.id);
        },
      },
    );
  };
  return (
    <form className="inline" onSubmit={submit} aria-label={props.label}>
      <Field label={props.label}>
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field label="Slug">
        <input value={slug ?? slugOf(name)} onChange={(e) => setSlug(e.target.value)} required />
      </Field>
      <button type="submit" disabled={create.isPending}>
        Create
      </button>
      <ErrorBox error={create.error} />
    </form>
  );
}

type Flat = ReturnType<typeof flatten>;

function CategoryPanel(props: { id: string; all: Flat; onDeleted(): void; onCreated(id: string): void }) {
  const category = useQuery(CatalogService.method.getCategory, { id: props.id });
  const stats = useQuery(CatalogService.method.getCategoryStats, { id: props.id });
  const invalidate = useInvalidate();
  const rename = useMutation(CatalogService.method.updateCategory, invalidate);
  const move = useMutation(CatalogService.method.moveCategory, invalidate);
  const remove = useMutation(CatalogService.method.deleteCategory, {
    onSuccess: () => (props.onDeleted(), invalidate.onSuccess()),
  });
  const [name, setName] = useState<string>();
  const [parent, setParent] = useState<string>();
  const c = category.data?.category;
  if (category.isPending) return <Loading what="the category" />;
  if (!c) return <ErrorBox error={category.error} />;
  const s = stats.data;
  return (
    <section aria-labelledby="category-title">
      <h2 id="category-title">{c.name}</h2>
      <dl className="stats" aria-label="Subtree statistics">
        <dt>Active products (whole subtree)</dt>
        <dd>{s ? s.activeProductCount.toString() : '…'}</dd>
        <dt>Lowest price</dt>
        <dd>{formatMoney(s?.minPrice)}</dd>
        <dt>Highest price</dt>
        <dd>{formatMoney(s?.maxPrice)}</dd>
        <dt>Average price</dt>
        <dd>{formatMoney(s?.averagePrice)}</dd>
      </dl>
      <InlineAction
        action="Rename"
        error={rename.error}
        onSubmit={() => rename.mutate({ id: c.id, name: name ?? c.name })}
      >
        <Field label="Name">
          <input value={name ?? c.name} onChange={(e) => setName(e.target.value)} required />
        </Field>
      </InlineAction>
      <InlineAction
        action="Move"
        error={move.error}
        onSubmit={() => move.mutate({ id: c.id, newParentId: parent ?? c.parentId })}
      >
        <Field label="Parent">
          <select value={parent ?? c.parentId} onChange={(e) => setParent(e.target.value)}>
            <option value="">(top level)</option>
            <CategoryOptions categories={props.all} />
          </select>
        </Field>
      </InlineAction>
      <CreateCategory parentId={c.id} label={`New category under ${c.name}`} onCreated={props.onCreated} />
      <p>
        <button type="button" className="danger" onClick={() => remove.mutate({ id: c.id })}>
          Delete {c.name}
        </button>
      </p>
      <ErrorBox error={remove.error} />
    </section>
  );
}

/** A one-field form named after its action, so the form and its button share the name tests and screen readers use. */
function InlineAction(props: { action: string; error: unknown; onSubmit(): void; children: ReactNode }) {
  return (
    <form
      className="inline"
      aria-label={props.action}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
      <button type="submit">{props.action}</button>
      <ErrorBox error={props.error} />
    </form>
  );
}
