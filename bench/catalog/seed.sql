-- Bench data: 1,110 categories (10 roots x 10 x 10), 20,000 products, one deep-stock product for ReserveStock.
-- Runs as the catalog role inside the bench schema (search_path set by the caller).
-- Department 1 has a fixed id so the bench can ask for its subtree (111 categories).
with ids as (
  select case when g = 1 then '00000000-0000-4000-8000-00000000c001'::uuid else gen_random_uuid() end as id, g
  from generate_series(1, 10) g)
insert into categories (id, name, slug, parent_id, path, level, sort_order)
select id, 'Department ' || g, 'dept-' || g, null, array[id], 0, g from ids;

with ids as (
  select gen_random_uuid() as id, p.id as pid, p.path as ppath, row_number() over () as n
  from categories p cross join generate_series(1, 10) where p.level = 0)
insert into categories (id, name, slug, parent_id, path, level, sort_order)
select id, 'Aisle ' || n, 'aisle-' || n, pid, ppath || id, 1, n::int from ids;

with ids as (
  select gen_random_uuid() as id, p.id as pid, p.path as ppath, row_number() over () as n
  from categories p cross join generate_series(1, 10) where p.level = 1)
insert into categories (id, name, slug, parent_id, path, level, sort_order)
select id, 'Shelf ' || n, 'shelf-' || n, pid, ppath || id, 2, n::int from ids;

with shelves as (select id, row_number() over (order by id) - 1 as i from categories where level = 2),
     words as (select array['kettle', 'toaster', 'mug', 'lamp', 'chair', 'blender', 'pan', 'knife'] as w)
insert into products (id, sku, name, description, price_minor, currency_code, category_id, tax_class, stock_on_hand)
select gen_random_uuid(), 'BENCH-' || g,
       'Product ' || g || ' ' || w[1 + g % 8],
       'A sturdy ' || w[1 + (g / 8) % 8] || ' for the kitchen, item ' || g,
       100 + (g * 7919) % 99900, 'KES', s.id, 'standard', 100
from generate_series(1, 20000) g cross join words join shelves s on s.i = g % 1000;

insert into products (id, sku, name, description, price_minor, currency_code, category_id, tax_class, stock_on_hand)
select '00000000-0000-4000-8000-00000000b001', 'BENCH-RESERVE', 'Reservable item', 'deep stock', 500, 'KES', id, 'standard', 1000000000
from categories where level = 2 order by id limit 1;

analyze categories;
analyze products;
