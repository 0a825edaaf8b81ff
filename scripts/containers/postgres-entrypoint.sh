#!/bin/bash
# The part of the official postgres image's entrypoint contract this project relies on:
# POSTGRES_PASSWORD (required), POSTGRES_USER, POSTGRES_DB, /docker-entrypoint-initdb.d/*.sh|*.sql
# run once on an empty PGDATA against a socket-only server, then the server on every address
# with scram passwords over TCP and trust on the local socket.
set -Eeuo pipefail
[[ ${1:-} == -* ]] && set -- postgres "$@"
[[ ${1:-} == postgres ]] || exec "$@"
shift
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
export POSTGRES_USER POSTGRES_DB
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
install -d -o postgres -g postgres -m 2775 /var/run/postgresql

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  [[ -n ${POSTGRES_PASSWORD:-} ]] || { echo "entrypoint: POSTGRES_PASSWORD must be set" >&2; exit 1; }
  install -d -o postgres -g postgres -m 700 "$PGDATA"
  # The password goes through a file, never argv, so it does not show in ps.
  pwfile=$(mktemp) && chown postgres "$pwfile" && printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
  as_pg initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
  shopt -s nullglob
  scripts=(/docker-entrypoint-initdb.d/*)
  if [[ $POSTGRES_DB != postgres || ${#scripts[@]} -gt 0 ]]; then
    as_pg pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    psql=(psql -X -q -v ON_ERROR_STOP=1 --username "$POSTGRES_USER")
    [[ $POSTGRES_DB == postgres ]] || "${psql[@]}" -d postgres -c "CREATE DATABASE \"$POSTGRES_DB\"" >/dev/null
    for f in "${scripts[@]}"; do
      case $f in
        *.sh) if [[ -x $f ]]; then "$f"; else . "$f"; fi ;;
        *.sql) "${psql[@]}" -d "$POSTGRES_DB" -f "$f" ;;
      esac
    done
    as_pg pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  fi
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" -c listen_addresses='*' "$@"
