import { Code } from '@connectrpc/connect';
import { ADMIN, CUSTOMER, type Catalog, aCategory, aProduct, expectRpcError, startCatalog, uniq } from './fixtures';

describe('categories', () => {
  let c: Catalog;
  beforeAll(async () => {
    c = await startCatalog();
  });
  afterAll(() => c?.stop());

  it('creates roots and children with correct levels and reads them back', async () => {
    const root = await aCategory(c, '', 'Root');
    const child = await c.catalog.createCategory(
      { name: 'Child', slug: uniq('child'), parentId: root, sortOrder: 2 },
      ADMIN,
    );
    expect(child.category).toMatchObject({ parentId: root, level: 1, sortOrder: 2, name: 'Child' });
    const got = await c.catalog.getCategory({ id: child.category!.id });
    expect(got.category?.createdAt).toBeDefined();
  });

  it('renames and reorders a category', async () => {
    const id = await aCategory(c);
    const res = await c.catalog.updateCategory({ id, name: 'Renamed', sortOrder: 7 }, ADMIN);
    expect(res.category).toMatchObject({ name: 'Renamed', sortOrder: 7 });
  });

  it('moves a subtree, rewriting every level, and reads ancestors and descendants', async () => {
    const a = await aCategory(c, '', 'A');
    const b = await aCategory(c, a, 'B');
    const d = await aCategory(c, b, 'D');
    const x = await aCategory(c, '', 'X');
    const y = await aCategory(c, x, 'Y');
    const moved = await c.catalog.moveCategory({ id: b, newParentId: y }, ADMIN);
    expect(moved.category).toMatchObject({ parentId: y, level: 2 });
    const anc = await c.catalog.listAncestors({ id: d });
    expect(anc.categories.map((k) => k.id)).toEqual([x, y, b]);
    const desc = await c.catalog.listDescendants({ id: x });
    expect(desc.categories.map((k) => [k.id, k.level])).toEqual([
      [y, 1],
      [b, 2],
      [d, 3],
    ]);
    expect((await c.catalog.listDescendants({ id: x, maxDepth: 1 })).categories.map((k) => k.id)).toEqual([y]);
    const toRoot = await c.catalog.moveCategory({ id: b, newParentId: '' }, ADMIN);
    expect(toRoot.category).toMatchObject({ parentId: '', level: 0 });
    expect((await c.catalog.getCategory({ id: d })).category?.level).toBe(1);
    expect((await c.catalog.listAncestors({ id: d })).categories.map((k) => k.id)).toEqual([b]);
    expect((await c.catalog.listDescendants({ id: a })).categories).toEqual([]);
  });

  it('returns the tree or a subtree, optionally cut at a depth', async () => {
    const r = await aCategory(c, '', 'TreeRoot');
    const k1 = await aCategory(c, r, 'K1');
    await aCategory(c, k1, 'K2');
    const sub = await c.catalog.getCategoryTree({ rootId: r });
    expect(sub.roots).toHaveLength(1);
    expect(sub.roots[0]!.children[0]!.children[0]!.category?.name).toBe('K2');
    const cut = await c.catalog.getCategoryTree({ rootId: r, maxDepth: 1 });
    expect(cut.roots[0]!.children[0]!.children).toEqual([]);
    const whole = await c.catalog.getCategoryTree({});
    expect(whole.roots.map((n) => n.category?.id)).toContain(r);
    const rootsOnly = await c.catalog.getCategoryTree({ maxDepth: 0 });
    expect(rootsOnly.roots.every((n) => n.children.length === 0)).toBe(true);
  });

  it('refuses a move under itself or a descendant, naming new_parent_id, and changes nothing', async () => {
    const a = await aCategory(c);
    const b = await aCategory(c, a);
    const d = await aCategory(c, b);
    await expectRpcError(
      c.catalog.moveCategory({ id: a, newParentId: a }, ADMIN),
      Code.FailedPrecondition,
      'new_parent_id',
    );
    await expectRpcError(
      c.catalog.moveCategory({ id: a, newParentId: d }, ADMIN),
      Code.FailedPrecondition,
      'new_parent_id',
    );
    expect((await c.catalog.getCategory({ id: a })).category).toMatchObject({ parentId: '', level: 0 });
    expect((await c.catalog.listAncestors({ id: d })).categories.map((k) => k.id)).toEqual([a, b]);
  });

  it('refuses to delete a category with children or products, and deletes a bare leaf', async () => {
    const parent = await aCategory(c);
    const leaf = await aCategory(c, parent);
    await expectRpcError(c.catalog.deleteCategory({ id: parent }, ADMIN), Code.FailedPrecondition, 'id');
    await c.catalog.createProduct({ product: aProduct(leaf) }, ADMIN);
    await expectRpcError(c.catalog.deleteCategory({ id: leaf }, ADMIN), Code.FailedPrecondition, 'id');
    const bare = await aCategory(c, parent);
    await c.catalog.deleteCategory({ id: bare }, ADMIN);
    await expectRpcError(c.catalog.getCategory({ id: bare }), Code.NotFound);
    expect((await c.sql('select 1 from categories where id = $1', [leaf])).length).toBe(1);
  });

  it('computes stats over the subtree in exact integer minor units, halves away from zero', async () => {
    const root = await aCategory(c);
    const child = await aCategory(c, root);
    const other = await aCategory(c);
    for (const [cat, amount] of [
      [root, 1n],
      [child, 1n],
      [child, 2n],
    ] as const) {
      await c.catalog.createProduct(
        { product: aProduct(cat, { price: { currencyCode: 'KES', amountMinor: amount } as never }) },
        ADMIN,
      );
    }
    await c.catalog.createProduct(
      { product: aProduct(child, { active: false, price: { currencyCode: 'KES', amountMinor: 999n } as never }) },
      ADMIN,
    );
    const s = await c.catalog.getCategoryStats({ id: root });
    expect(s.activeProductCount).toBe(3n);
    expect([s.minPrice?.amountMinor, s.maxPrice?.amountMinor, s.averagePrice?.amountMinor]).toEqual([1n, 2n, 1n]); // 4/3 = 1.33 → 1
    expect(s.currencyCode).toBe('KES');
    for (const amount of [1n, 2n]) {
      await c.catalog.createProduct(
        { product: aProduct(other, { price: { currencyCode: 'KES', amountMinor: amount } as never }) },
        ADMIN,
      );
    }
    expect((await c.catalog.getCategoryStats({ id: other })).averagePrice?.amountMinor).toBe(2n); // 1.5 → 2
    const empty = await c.catalog.getCategoryStats({ id: await aCategory(c) });
    expect(empty.activeProductCount).toBe(0n);
    expect(empty.averagePrice).toBeUndefined();
  });

  describe('bad input names the field and writes nothing', () => {
    const count = async () => Number((await c.sql<{ n: string }>('select count(*) as n from categories'))[0]!.n);

    it.each([
      ['an empty name', { name: '', slug: 'ok-slug' }, 'name'],
      ['a blank name', { name: '   ', slug: 'ok-slug' }, 'name'],
      ['an over-long name', { name: 'n'.repeat(201), slug: 'ok-slug' }, 'name'],
      ['a bad slug', { name: 'ok', slug: 'Not A Slug' }, 'slug'],
      [
        'an unknown parent',
        { name: 'ok', slug: 'ok-slug', parentId: '00000000-0000-4000-8000-000000000000' },
        'parent_id',
      ],
      ['a malformed parent', { name: 'ok', slug: 'ok-slug', parentId: 'nope' }, 'parent_id'],
    ])('rejects %s', async (_what, req, field) => {
      const before = await count();
      await expectRpcError(c.catalog.createCategory(req, ADMIN), Code.InvalidArgument, field);
      expect(await count()).toBe(before);
    });

    it('rejects a duplicate slug with already_exists', async () => {
      const slug = uniq('dup');
      await c.catalog.createCategory({ name: 'one', slug }, ADMIN);
      const before = await count();
      await expectRpcError(c.catalog.createCategory({ name: 'two', slug }, ADMIN), Code.AlreadyExists, 'slug');
      expect(await count()).toBe(before);
    });

    it('rejects a move to an unknown parent and an unknown category', async () => {
      const id = await aCategory(c);
      await expectRpcError(
        c.catalog.moveCategory({ id, newParentId: '00000000-0000-4000-8000-000000000000' }, ADMIN),
        Code.InvalidArgument,
        'new_parent_id',
      );
      await expectRpcError(
        c.catalog.moveCategory({ id: '00000000-0000-4000-8000-000000000000', newParentId: '' }, ADMIN),
        Code.NotFound,
      );
    });

    it('requires the admin role for writes and none for reads', async () => {
      await expectRpcError(c.catalog.createCategory({ name: 'x', slug: uniq('s') }), Code.Unauthenticated);
      await expectRpcError(c.catalog.createCategory({ name: 'x', slug: uniq('s') }, CUSTOMER), Code.PermissionDenied);
      await expect(c.catalog.getCategoryTree({ maxDepth: 0 })).resolves.toBeDefined();
    });
  });
});
