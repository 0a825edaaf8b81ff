import { type Category, buildForest, validateNewCategory, wouldCreateCycle } from './category';

const cat = (id: string, parentId: string | null, level: number): Category => ({
  id,
  parentId,
  level,
  name: id,
  slug: id,
  sortOrder: 0,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

describe('category tree rules', () => {
  it('detects a cycle when the new parent is the node or lies below it', () => {
    expect(wouldCreateCycle('b', ['a', 'b', 'c'])).toBe(true);
    expect(wouldCreateCycle('b', ['b'])).toBe(true);
    expect(wouldCreateCycle('b', ['a', 'x'])).toBe(false);
    expect(wouldCreateCycle('b', [])).toBe(false);
  });

  it('nests level-ordered rows, treating rows without a listed parent as roots', () => {
    const forest = buildForest([cat('r', 'outside', 3), cat('s', null, 0), cat('k', 'r', 4), cat('g', 'k', 5)]);
    expect(forest.map((n) => n.category.id)).toEqual(['r', 's']);
    expect(forest[0]!.children[0]!.children[0]!.category.id).toBe('g');
  });

  it('names every bad field of a new category', () => {
    expect(() => validateNewCategory({ name: '', slug: 'Bad Slug', parentId: 'x' })).toThrow(/name.*slug.*parent_id/);
    expect(() => validateNewCategory({ name: 'Shoes', slug: 'shoes-2', parentId: '' })).not.toThrow();
  });
});
