import { Migration } from '@mikro-orm/migrations';

/**
 * Categories carry their ancestor path as uuid[] (root first, self last) with a GIN index, so a
 * subtree is `path @> ARRAY[id]` and the ancestors are the ids on the path: one statement each,
 * at any depth. Products keep stock_on_hand and reserved with a CHECK that reserved never exceeds
 * on-hand, so the database itself forbids oversell.
 */
export class Migration0001Catalog extends Migration {
  override up(): void {
    this.addSql(`
      create table categories (
        id uuid primary key,
        name text not null check (char_length(name) between 1 and 200),
        slug text not null,
        parent_id uuid references categories (id),
        path uuid[] not null,
        level integer not null check (level >= 0),
        sort_order integer not null default 0,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint categories_slug_key unique (slug),
        constraint categories_level_matches_path check (level = cardinality(path) - 1)
      )`);
    this.addSql('create index categories_path_gin on categories using gin (path)');
    this.addSql('create index categories_parent_idx on categories (parent_id, sort_order, name)');
    this.addSql(`
      create table products (
        id uuid primary key,
        sku text not null,
        name text not null check (char_length(name) between 1 and 200),
        description text not null default '',
        price_minor bigint not null check (price_minor > 0),
        currency_code char(3) not null,
        category_id uuid not null references categories (id),
        tax_class text not null,
        stock_on_hand bigint not null check (stock_on_hand >= 0),
        reserved bigint not null default 0 check (reserved >= 0),
        active boolean not null default true,
        search tsvector generated always as (
          setweight(to_tsvector('english', name), 'A') ||
          setweight(to_tsvector('simple', sku), 'A') ||
          setweight(to_tsvector('english', description), 'B')
        ) stored,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint products_sku_key unique (sku),
        constraint products_no_oversell check (reserved <= stock_on_hand)
      )`);
    this.addSql('create index products_category_idx on products (category_id)');
    this.addSql('create index products_search_gin on products using gin (search)');
    this.addSql('create index products_name_idx on products (name, id) where active');
    this.addSql('create index products_price_idx on products (price_minor, id) where active');
    this.addSql('create index products_newest_idx on products (created_at desc, id desc) where active');
    this.addSql(`
      create table reservations (
        order_id uuid primary key,
        id uuid not null unique,
        status text not null check (status in ('reserved', 'committed', 'released', 'expired', 'restocked')),
        expires_at timestamptz not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql("create index reservations_expiry_idx on reservations (expires_at) where status = 'reserved'");
    this.addSql(`
      create table reservation_lines (
        order_id uuid not null references reservations (order_id),
        product_id uuid not null references products (id),
        quantity bigint not null check (quantity > 0),
        sku text not null,
        name text not null,
        unit_price_minor bigint not null,
        currency_code char(3) not null,
        tax_class text not null,
        primary key (order_id, product_id)
      )`);
  }
}
