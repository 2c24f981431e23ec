#!/usr/bin/env bash
# Runs every Tessera test from a fresh clone: installs what the tests need, builds, tests.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=tests/ci/retry.sh
source tests/ci/retry.sh

need_apt=()
command -v openssl >/dev/null || need_apt+=(openssl)
command -v node >/dev/null || need_apt+=(nodejs npm)
command -v nginx >/dev/null || need_apt+=(nginx)        # the helper's e2e proof reloads a real nginx
command -v curl >/dev/null || need_apt+=(curl)
if ((${#need_apt[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test.sh: missing ${need_apt[*]}; install them (apt-get install ${need_apt[*]}) and retry" >&2
    exit 1
  fi
  retry 4 apt-get -o Acquire::Retries=3 update -qq
  DEBIAN_FRONTEND=noninteractive retry 4 apt-get -o Acquire::Retries=3 install -y -qq "${need_apt[@]}"
fi

echo "== npm packages for interop checks"
for dir in interop/jose interop/cedar-wasm interop/grpc-js; do
  (cd "$dir" && retry 5 npm ci --no-audit --no-fund --loglevel=error --fetch-retries=4 --fetch-timeout=120000)
done

echo "== restore and build (warnings are errors)"
retry 4 dotnet restore Tessera.slnx
dotnet build Tessera.slnx -c Release --no-restore

echo "== PostgreSQL for the datastore conformance tests (installed from Debian's packages if absent)"
pg_dir=$(mktemp -d)
trap 'tests/postgres/stop.sh "$pg_dir"' EXIT
TESSERA_TEST_POSTGRES=$(tests/postgres/start.sh "$pg_dir")
export TESSERA_TEST_POSTGRES

echo "== tests"
results=$(mktemp -d)
status=0
dotnet test Tessera.slnx -c Release --no-build --logger "trx" --results-directory "$results" || status=$?

# One summary line over every test project, in the form CI reads ("N passed, N failed").
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [[ -e $trx ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  t=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
  e=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done
rm -rf "$results"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if ((status != 0 || failed != 0 || passed == 0)); then
  exit 1
fi
