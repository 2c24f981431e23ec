#!/usr/bin/env bash
# A tour of the CLI's building blocks without an agent: SPIFFE ID checks, a development CA, X509- and
# JWT-SVIDs verified by Tessera and by openssl, and the server's registration API. (./run.sh is the quickstart.)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "building the tessera CLI..."
dotnet build src/Tessera.Cli -c Release -v quiet -nologo >/dev/null
tessera() { dotnet src/Tessera.Cli/bin/Release/net10.0/tessera.dll "$@" 2>&1; }
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; }
expect_reject() { if "$@"; then echo "!! expected a rejection" >&2; exit 1; else echo "(rejected as expected, exit $?)"; fi; }

step "check a SPIFFE ID against the spec" tessera id parse spiffe://example.org/payments/api
tessera id parse spiffe://example.org/payments/api
step "a malformed ID names the broken rule" tessera id parse spiffe://Example.org/payments/api
expect_reject tessera id parse spiffe://Example.org/payments/api

step "issue an X509-SVID from a development CA (keys 0600)" tessera dev x509-svid --id spiffe://example.org/payments/api --out DIR --ttl 10m
tessera dev x509-svid --id spiffe://example.org/payments/api --out "$work" --ttl 10m
ls -l "$work"

step "verify it with Tessera" tessera x509 verify --svid DIR/svid.pem --bundle DIR/bundle.pem
tessera x509 verify --svid "$work/svid.pem" --bundle "$work/bundle.pem"

if command -v openssl >/dev/null; then
  step "verify it with openssl, a verifier nobody here wrote" openssl verify -x509_strict -CAfile DIR/bundle.pem DIR/svid.pem
  openssl verify -x509_strict -CAfile "$work/bundle.pem" "$work/svid.pem"
fi

step "the same SVID presented against another trust domain's bundle is refused" tessera x509 verify --svid DIR/svid.pem --bundle DIR/bundle.pem --trust-domain other.org
expect_reject tessera x509 verify --svid "$work/svid.pem" --bundle "$work/bundle.pem" --trust-domain other.org

step "...and so is an SVID checked after it expires" tessera x509 verify --svid DIR/svid.pem --bundle DIR/bundle.pem --at 2099-01-01T00:00:00Z
expect_reject tessera x509 verify --svid "$work/svid.pem" --bundle "$work/bundle.pem" --at 2099-01-01T00:00:00Z

step "mint a JWT-SVID (ES256, 5 minutes) and publish the SPIFFE bundle" tessera dev jwt-svid --id spiffe://example.org/payments/api --audience spiffe://example.org/reports --out DIR
tessera dev jwt-svid --id spiffe://example.org/payments/api --audience spiffe://example.org/reports --out "$work"

step "validate it as the reports service" tessera jwt validate --token DIR/token.jwt --bundle DIR/bundle.json --audience spiffe://example.org/reports
tessera jwt validate --token "$work/token.jwt" --bundle "$work/bundle.json" --audience spiffe://example.org/reports

step "a service it was not minted for refuses it" tessera jwt validate --token DIR/token.jwt --bundle DIR/bundle.json --audience spiffe://example.org/billing
expect_reject tessera jwt validate --token "$work/token.jwt" --bundle "$work/bundle.json" --audience spiffe://example.org/billing

step "start a server: zero configuration (data dir, SQLite datastore, admin socket created on first run)" tessera server run --data-dir DIR/server --health-address 127.0.0.1:PORT
port=$((20000 + RANDOM % 20000))
dotnet src/Tessera.Cli/bin/Release/net10.0/tessera.dll server run --data-dir "$work/server" --health-address "127.0.0.1:$port" --agent-address "127.0.0.1:$((port + 1))" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do tessera server healthcheck --address "127.0.0.1:$port" >/dev/null && break; sleep 0.2; done
tessera server healthcheck --address "127.0.0.1:$port"
export TESSERA_ADMIN_SOCKET="$work/server/admin.sock"

step "register a workload: all selectors must match, and every identity has an owner" tessera entry create --spiffe-id spiffe://example.org/payments/api --parent-id spiffe://example.org/agent/node1 --selector unix:uid:1001 --selector unix:path:/usr/bin/payments --owner team-payments --purpose "card API"
tessera entry create --spiffe-id spiffe://example.org/payments/api --parent-id spiffe://example.org/agent/node1 --selector unix:uid:1001 --selector unix:path:/usr/bin/payments --owner team-payments --purpose "card API"

step "an entry outside the trust domain and without an owner is refused, with every reason" tessera entry create --spiffe-id spiffe://evil.org/x --parent-id spiffe://example.org/agent/node1 --selector unix:uid:0
expect_reject tessera entry create --spiffe-id spiffe://evil.org/x --parent-id spiffe://example.org/agent/node1 --selector unix:uid:0

step "list entries whose selectors include unix:uid:1001" tessera entry show --selector unix:uid:1001 --match superset
tessera entry show --selector unix:uid:1001 --match superset
id=$(tessera entry show --output json | grep -oE '"id": ?"[0-9a-f]+"' | head -1 | grep -oE '[0-9a-f]{32}')

step "a single-use join token for a new node (printed once, stored hashed)" tessera token generate --ttl 10m
tessera token generate --ttl 10m | sed -E 's/(Token: [0-9a-f]{6})[0-9a-f]+/\1…(shown in full to the operator)/'

step "delete the entry" tessera entry delete --entry-id ID
tessera entry delete --entry-id "$id"

step "every call above is in the hash-chained audit log" tessera audit list
tessera audit list
tessera audit verify

printf '\ndone: every check behaved as expected.\n'
