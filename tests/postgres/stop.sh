#!/usr/bin/env bash
# Stops the cluster started by start.sh DIR and deletes DIR. Safe to call when start.sh failed.
set -uo pipefail

dir=${1:?usage: stop.sh DIR}
if [[ -f $dir/data/postmaster.pid ]]; then
  pg_ctl=$(command -v pg_ctl 2>/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
  else
    "$pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
  fi
fi
rm -rf "$dir"
