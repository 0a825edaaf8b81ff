-- Database-level setup, run by scripts/infra as the postgres superuser over the
-- local socket. Expects psql variable :admin_pw. Safe to re-run on every `up`.
\set ON_ERROR_STOP on

-- Host (TCP) logins use scram; the password lives only in .infra/secrets.env.
ALTER ROLE postgres WITH PASSWORD :'admin_pw';

-- CREATE DATABASE cannot run inside a DO block, hence the \gexec idiom.
SELECT 'CREATE DATABASE ordersystem'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'ordersystem') \gexec

\connect ordersystem
-- Each service owns exactly one schema; nobody gets a shared scratch space.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE CREATE ON DATABASE ordersystem FROM PUBLIC;
