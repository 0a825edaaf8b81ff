#!/bin/sh
# docker-entrypoint-initdb.d hook of the compose PostgreSQL: runs once, on an empty data
# directory. Applies the very SQL that scripts/infra applies natively (mounted read-only from
# scripts/infra.d), so compose and native development get the same database `ordersystem`, one
# role <svc>_svc and one schema <svc> per service, and the same isolation rules. Passwords go in
# on stdin (\set), never on a command line.
set -eu
SQL=/ordersystem-sql
{
  printf '\\set admin_pw %s\n' "$POSTGRES_PASSWORD"
  cat "$SQL/pg-init.sql"
  for svc in customers catalog orders notifications; do
    var=$(printf '%s_DB_PASSWORD' "$svc" | tr '[:lower:]' '[:upper:]')
    pw=$(printenv "$var") || { echo "init.sh: $var is not set" >&2; exit 1; }
    printf '\\set svc %s\n\\set role %s_svc\n\\set pw %s\n' "$svc" "$svc" "$pw"
    cat "$SQL/pg-service.sql"
  done
} | psql -X -q -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres
echo "init.sh: database ordersystem with schemas customers, catalog, orders, notifications"
