import { randomUUID } from 'node:crypto';
import type { CategoryRepository } from '../../src/app/ports';
import type { Category } from '../../src/domain/category';

/** One implementation of the port on an empty catalog, plus the one thing the port cannot do itself. */
export interface CategoryRepositoryHarness {
  repo: CategoryRepository;
  /** Stores a product in `categoryId` (delete refusals and stats depend on products). */
  addProduct(categoryId: string, priceMinor: bigint, active?: boolean): Promise<void>;
}

const refused = (kind: string, field?: string) =>
  expect.objectContaining({ kind, ...(field ? { violations: [expect.objectContaining({ field })] } : {}) });

/**
 * The behaviour every CategoryRepository must have. Run against the PostgreSQL adapter and the
 * in-memory fake, so the fast tests' fake cannot drift from the real thing. `setup` runs before
 * each test and must hand back an empty catalog.
 */
export function categoryRepositoryContract(setup: () => Promise<CategoryRepositoryHarness>): void {
  let h: CategoryRepositoryHarness;
  let repo: CategoryRepository;
  beforeEach(async () => {
    h = await setup();
    repo = h.repo;
  });

  const add = async (parentId: string | null, name = 'Category', sortOrder = 0): Promise<Category> =>
    repo.create({ id: randomUUID(), name, slug: `slug-${randomUUID()}`, parentId, sortOrder });
  const ids = (rows: readonly Category[] | undefined) => rows?.map((c) => c.id);
  const unknown = '00000000-0000-4000-8000-000000000000';

  describe('create', () => {
    it('creates roots at level 0 and children one level below their parent', async () => {
      const root = await add(null, 'Root', 3);
      const child = await add(root.id, 'Child');
      expect(root).toMatchObject({ name: 'Root', parentId: null, level: 0, sortOrder: 3 });
      expect(child).toMatchObject({ parentId: root.id, level: 1 });
      expect(child.createdAt).toBeInstanceOf(Date);
      expect(await repo.get(child.id)).toEqual(child);
    });

    it('refuses an unknown parent on parent_id and a taken slug on slug', async () => {
      await expect(add(unknown)).rejects.toEqual(refused('invalid_argument', 'parent_id'));
      const first = await add(null);
      await expect(
        repo.create({ id: randomUUID(), name: 'x', slug: first.slug, parentId: null, sortOrder: 0 }),
      ).rejects.toEqual(refused('already_exists', 'slug'));
    });
  });

  describe('update', () => {
    it('renames and reorders, leaving unset fields alone', async () => {
      const c = await add(null, 'Old', 1);
      expect(await repo.update(c.id, { name: 'New' })).toMatchObject({ name: 'New', sortOrder: 1, slug: c.slug });
      expect(await repo.update(c.id, { sortOrder: 5 })).toMatchObject({ name: 'New', sortOrder: 5 });
    });

    it('returns undefined for an unknown category', async () => {
      expect(await repo.update(unknown, { name: 'x' })).toBeUndefined();
    });
  });

  describe('move', () => {
    it('re-parents a subtree, rewriting the levels of every node in it', async () => {
      const a = await add(null, 'A');
      const b = await add(a.id, 'B');
      const d = await add(b.id, 'D');
      const x = await add(null, 'X');
      const y = await add(x.id, 'Y');
      expect(await repo.move(b.id, y.id)).toMatchObject({ id: b.id, parentId: y.id, level: 2 });
      expect(ids(await repo.pathOf(d.id))).toEqual([x.id, y.id, b.id, d.id]);
      expect((await repo.get(d.id))?.level).toBe(3);
      expect(await repo.move(b.id, null)).toMatchObject({ parentId: null, level: 0 });
      expect(ids(await repo.pathOf(d.id))).toEqual([b.id, d.id]);
      expect(await repo.descendants(a.id, undefined)).toEqual([]);
    });

    it('refuses a move under itself or a descendant on new_parent_id, changing nothing', async () => {
      const a = await add(null);
      const b = await add(a.id);
      await expect(repo.move(a.id, a.id)).rejects.toEqual(refused('failed_precondition', 'new_parent_id'));
      await expect(repo.move(a.id, b.id)).rejects.toEqual(refused('failed_precondition', 'new_parent_id'));
      expect(ids(await repo.pathOf(b.id))).toEqual([a.id, b.id]);
    });

    it('refuses an unknown node with not_found and an unknown parent on new_parent_id', async () => {
      const a = await add(null);
      await expect(repo.move(unknown, a.id)).rejects.toEqual(refused('not_found'));
      await expect(repo.move(a.id, unknown)).rejects.toEqual(refused('invalid_argument', 'new_parent_id'));
    });
  });

  describe('delete', () => {
    it('deletes a bare leaf', async () => {
      const leaf = await add(null);
      await repo.delete(leaf.id);
      expect(await repo.get(leaf.id)).toBeUndefined();
    });

    it('refuses, on id, while children or products exist, and not_found when absent', async () => {
      const parent = await add(null);
      const leaf = await add(parent.id);
      await expect(repo.delete(parent.id)).rejects.toEqual(refused('failed_precondition', 'id'));
      await h.addProduct(leaf.id, 100n);
      await expect(repo.delete(leaf.id)).rejects.toEqual(refused('failed_precondition', 'id'));
      await expect(repo.delete(unknown)).rejects.toEqual(refused('not_found'));
      expect(await repo.get(leaf.id)).toBeDefined();
    });
  });

  describe('reads', () => {
    it('returns the forest or a subtree ordered by level, then sort order and name, cut at a depth', async () => {
      const r2 = await add(null, 'R2', 2);
      const r1 = await add(null, 'R1', 1);
      const kb = await add(r1.id, 'Kb');
      const ka = await add(r1.id, 'Ka');
      const deep = await add(ka.id, 'Deep');
      expect(ids(await repo.subtree(undefined, undefined))).toEqual([r1.id, r2.id, ka.id, kb.id, deep.id]);
      expect(ids(await repo.subtree(undefined, 0))).toEqual([r1.id, r2.id]);
      expect(ids(await repo.subtree(r1.id, undefined))).toEqual([r1.id, ka.id, kb.id, deep.id]);
      expect(ids(await repo.subtree(r1.id, 1))).toEqual([r1.id, ka.id, kb.id]);
      expect(await repo.subtree(unknown, undefined)).toBeUndefined();
    });

    it('returns the path root first with the node last, and descendants without the node', async () => {
      const a = await add(null, 'A');
      const b = await add(a.id, 'B');
      const c = await add(b.id, 'C');
      expect(ids(await repo.pathOf(c.id))).toEqual([a.id, b.id, c.id]);
      expect(ids(await repo.descendants(a.id, undefined))).toEqual([b.id, c.id]);
      expect(ids(await repo.descendants(a.id, 1))).toEqual([b.id]);
      expect(await repo.descendants(c.id, undefined)).toEqual([]);
      expect(await repo.pathOf(unknown)).toBeUndefined();
      expect(await repo.descendants(unknown, undefined)).toBeUndefined();
    });

    it('computes stats over the active products of the subtree, averaging halves away from zero', async () => {
      const root = await add(null);
      const child = await add(root.id);
      await h.addProduct(root.id, 1n);
      await h.addProduct(child.id, 1n);
      await h.addProduct(child.id, 2n);
      await h.addProduct(child.id, 999n, false);
      expect(await repo.stats(root.id, 'KES')).toEqual({
        categoryId: root.id,
        activeProductCount: 3n,
        currencyCode: 'KES',
        minPriceMinor: 1n,
        maxPriceMinor: 2n,
        averagePriceMinor: 1n,
      });
      await h.addProduct(child.id, 2n);
      expect((await repo.stats(child.id, 'KES'))?.averagePriceMinor).toBe(2n); // 1, 2, 2 → 1.67 → 2
      const empty = await add(null);
      expect(await repo.stats(empty.id, 'KES')).toEqual({
        categoryId: empty.id,
        activeProductCount: 0n,
        currencyCode: 'KES',
        minPriceMinor: undefined,
        maxPriceMinor: undefined,
        averagePriceMinor: undefined,
      });
      expect(await repo.stats(unknown, 'KES')).toBeUndefined();
    });
  });
}
