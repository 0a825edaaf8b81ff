import { Violations } from '@ordersystem/platform/errors';

/** One node of the category hierarchy; roots are level 0. */
export interface Category {
  id: string;
  name: string;
  slug: string;
  parentId: string | null;
  level: number;
  sortOrder: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A category with its children, as returned by tree reads. */
export interface CategoryNode {
  category: Category;
  children: CategoryNode[];
}

export const NAME_MAX = 200;
/** Where validation reports offending fields (platform's Violations, or a plain collector). */
export interface ViolationSink {
  add(field: string, description: string): unknown;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** Adds a violation when `name` is empty, blank or longer than NAME_MAX characters. */
export function checkName(violations: ViolationSink, field: string, name: string): void {
  if (name.trim().length === 0) violations.add(field, 'must not be empty');
  else if ([...name].length > NAME_MAX) violations.add(field, `must be at most ${NAME_MAX} characters`);
}

/** Adds a violation when `value` is set but not a UUID. */
export function checkOptionalUuid(violations: ViolationSink, field: string, value: string): void {
  if (value !== '' && !isUuid(value)) violations.add(field, 'must be a UUID');
}

/** Validates the fields of a new category; throws invalid_argument naming every bad field. */
export function validateNewCategory(input: { name: string; slug: string; parentId: string }): void {
  const v = new Violations();
  checkName(v, 'name', input.name);
  if (!SLUG.test(input.slug) || input.slug.length > NAME_MAX) {
    v.add('slug', 'must be 1-200 lowercase letters, digits and single hyphens');
  }
  checkOptionalUuid(v, 'parent_id', input.parentId);
  v.throwIfAny();
}

/**
 * A move of `movedId` under a parent whose path is `newParentPath` closes a cycle when the new
 * parent is the node itself or one of its descendants, i.e. when the node lies on the parent's path.
 */
export function wouldCreateCycle(movedId: string, newParentPath: readonly string[]): boolean {
  return newParentPath.includes(movedId);
}

/**
 * Nests a flat list into a forest. `rows` must be ordered parents-before-children (by level);
 * rows whose parent is not in the list become roots, so a subtree read yields its root as the one root.
 */
export function buildForest(rows: readonly Category[]): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>();
  const roots: CategoryNode[] = [];
  for (const category of rows) {
    const node: CategoryNode = { category, children: [] };
    nodes.set(category.id, node);
    const parent = category.parentId ? nodes.get(category.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
