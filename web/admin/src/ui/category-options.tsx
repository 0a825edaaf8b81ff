/** Categories as <option>s in tree order, indented by depth since a <select> cannot nest them visibly. */
export function CategoryOptions({ categories }: { categories: { id: string; name: string; depth: number }[] }) {
  return categories.map((c) => (
    <option key={c.id} value={c.id}>
      {'\u00a0\u00a0'.repeat(c.depth) + c.name}
    </option>
  ));
}
