#!/bin/bash
# As the official redis image: flags alone mean redis-server, which runs as user redis with
# protected mode off (the official image compiles that default in; the port is the boundary).
set -Eeuo pipefail
[[ ${1:-} == -* ]] && set -- redis-server "$@"
[[ ${1:-} == redis-server ]] || exec "$@"
shift
exec setpriv --reuid=redis --regid=redis --init-groups redis-server --protected-mode no "$@"
