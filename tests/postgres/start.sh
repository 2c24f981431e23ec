#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the datastore conformance tests.
# Usage: tests/postgres/start.sh DIR   (DIR: an empty directory that stop.sh DIR later removes)
# Prints the Npgsql connection string on stdout; everything else goes to stderr.
# The server listens on a Unix socket inside DIR only (no TCP), so no free port is needed and
# parallel runs cannot collide. Installs PostgreSQL from Debian's packages when absent.
set -euo pipefail

dir=${1:?usage: start.sh DIR}
find_bin() {
  command -v "$1" 2>/dev/null && return
  # Debian keeps server binaries out of PATH, one folder per major version; take the newest.
  ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -1
}

if [[ -z $(find_bin initdb) || -z $(find_bin pg_ctl) ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "start.sh: PostgreSQL is missing; install it (apt-get install postgresql) and retry" >&2
    exit 1
  fi
  echo "start.sh: installing postgresql from Debian's packages" >&2
  # shellcheck source=../ci/retry.sh
  source "$(dirname "$0")/../ci/retry.sh"
  retry 4 apt-get -o Acquire::Retries=3 update -qq >&2
  DEBIAN_FRONTEND=noninteractive retry 4 apt-get -o Acquire::Retries=3 install -y -qq postgresql >&2
fi
initdb=$(readlink -f "$(find_bin initdb)")

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
if [[ $(id -u) -eq 0 ]]; then
  owner=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  owner=$(id -un)
  as_owner() { "$@"; }
fi

mkdir -p "$dir"
chown "$owner" "$dir"
chmod 700 "$dir"
as_owner "$initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
"$(dirname "$0")/ctl.sh" "$dir" start || { cat "$dir/server.log" >&2; exit 1; }
as_owner "$(dirname "$initdb")/createdb" -h "$dir" -U postgres tessera_test >&2

echo "Host=$dir;Username=postgres;Database=tessera_test;Timeout=10"
