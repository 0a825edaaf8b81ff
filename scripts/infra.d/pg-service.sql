-- Per-service role + schema, run by scripts/infra once per service while
-- connected to ordersystem. Expects psql variables :svc, :role, :pw.
-- psql does not interpolate variables inside DO $$ bodies, so existence checks
-- use the SELECT ... \gexec idiom instead of DO blocks.
SELECT format('CREATE ROLE %I LOGIN', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec

-- Re-applied every run so the role always matches .infra/secrets.env.
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
GRANT CONNECT ON DATABASE ordersystem TO :"role";

-- Isolation is by ownership only: no grants across schemas, so <svc>_svc can
-- neither read nor create objects in another service's schema.
CREATE SCHEMA IF NOT EXISTS :"svc" AUTHORIZATION :"role";
ALTER SCHEMA :"svc" OWNER TO :"role";
ALTER ROLE :"role" SET search_path = :"svc";
