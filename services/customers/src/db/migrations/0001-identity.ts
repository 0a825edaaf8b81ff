import { Migration } from '@mikro-orm/migrations';

/** Customers, login attempts, refresh tokens and (development) signing keys. */
export class Migration0001Identity extends Migration {
  override up(): void {
    this.addSql(`
      create table customers (
        id uuid primary key,
        -- keyset pagination order: dense, monotonic, never reused
        seq bigint generated always as identity unique,
        issuer text not null,
        subject text not null,
        email text not null,
        name text not null check (char_length(name) between 1 and 200),
        phone_number text not null default '',
        roles text[] not null default '{customer}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        -- the identity: concurrent first logins meet on this constraint (INSERT ... ON CONFLICT)
        constraint customers_identity_key unique (issuer, subject)
      )`);
    this.addSql(`
      create table login_attempts (
        state text primary key,
        nonce text not null,
        code_verifier text not null,
        redirect_uri text not null,
        expires_at timestamptz not null
      )`);
    this.addSql(`create index login_attempts_expires_idx on login_attempts (expires_at)`);
    this.addSql(`
      create table refresh_tokens (
        token_hash bytea primary key,
        family_id uuid not null,
        customer_id uuid not null references customers (id) on delete cascade,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    this.addSql(`create index refresh_tokens_family_idx on refresh_tokens (family_id)`);
    this.addSql(`create index refresh_tokens_customer_idx on refresh_tokens (customer_id)`);
    this.addSql(`
      create table signing_keys (
        kid text primary key,
        private_jwk jsonb not null,
        created_at timestamptz not null default now()
      )`);
  }
}
