#!/usr/bin/env bash
# Stops or starts again a cluster made by start.sh DIR, keeping its data — to take the datastore away
# from a running server and give it back (the datastore-outage test).
# Usage: tests/postgres/ctl.sh DIR stop|start
set -euo pipefail

dir=${1:?usage: ctl.sh DIR stop|start}
action=${2:?usage: ctl.sh DIR stop|start}
pg_ctl=$(command -v pg_ctl 2>/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)
as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case $action in
  stop) as_owner "$pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >&2 ;;
  start)
    # The same settings as start.sh: Unix socket in DIR only, fsync off for a throw-away cluster.
    as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c max_connections=100" start >&2 ;;
  *) echo "ctl.sh: unknown action '$action' (stop or start)" >&2; exit 2 ;;
esac
