#!/usr/bin/env bash
# The quickstart: brings up a local trust domain on this machine — a server, an agent attested with a
# join token, an entry for the current user — then fetches an X509-SVID from the agent's SPIFFE Workload
# API, shows its SPIFFE ID and expiry, checks it with openssl, and watches it rotate. Everything lives in a
# throw-away directory and is stopped on exit.
set -euo pipefail
me=${USER:-$(id -un)}
cd "$(dirname "$0")"

echo "building the tessera CLI..."
# shellcheck source=tests/ci/retry.sh
source tests/ci/retry.sh
retry 3 dotnet restore src/Tessera.Cli -v quiet >/dev/null
dotnet build src/Tessera.Cli -c Release --no-restore -v quiet -nologo >/dev/null
bin="$PWD/src/Tessera.Cli/bin/Release/net10.0/tessera.dll"
tessera() { dotnet "$bin" "$@"; }
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; }
free_port() { echo $((20000 + RANDOM % 20000)); }
wait_healthy() { for _ in $(seq 1 150); do tessera "$1" healthcheck "--${4:-address}" "$2" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "!! $1 did not become ready; its log:" >&2; cat "$3" >&2; exit 1; }

health=$(free_port); agent_port=$((health + 1)); agent_health=$((health + 2))
step "start the server (zero configuration: data dir, SQLite, CA, admin socket created on first run)" \
  tessera server run --data-dir DIR/server --health-address 127.0.0.1:$health --agent-address 127.0.0.1:$agent_port
dotnet "$bin" server run --data-dir "$work/server" --health-address "127.0.0.1:$health" --agent-address "127.0.0.1:$agent_port" >"$work/server.log" 2>&1 &
pids+=($!)
wait_healthy server "127.0.0.1:$health" "$work/server.log"
export TESSERA_ADMIN_SOCKET="$work/server/admin.sock"
echo "server ready; trust domain example.org"

step "a single-use join token for this node (stored hashed; the agent's SPIFFE ID derives from it)" tessera token generate --ttl 10m
tessera token generate --ttl 10m --output json >"$work/token.json"
token=$(sed -nE 's/.*"token": ?"([0-9a-f]+)".*/\1/p' "$work/token.json")
agent_id=$(sed -nE 's/.*"agent_spiffe_id": ?"([^"]+)".*/\1/p' "$work/token.json")
echo "Token: ${token:0:6}… (the operator hands it to the node once)"
echo "Agent ID: $agent_id"
step "the agent trusts the server through this trust domain's bundle" tessera bundle show --format spiffe
tessera bundle show --format spiffe >"$work/bundle.json"

step "start the agent: it attests with the token and gets its own SVID over TLS" \
  tessera agent run --server-address 127.0.0.1:$agent_port --trust-bundle DIR/bundle.json --join-token … --data-dir DIR/agent --socket-path DIR/public/api.sock
dotnet "$bin" agent run --server-address "127.0.0.1:$agent_port" --trust-bundle "$work/bundle.json" --join-token "$token" \
  --data-dir "$work/agent" --socket-path "$work/public/api.sock" --health-address "127.0.0.1:$agent_health" >"$work/agent.log" 2>&1 &
pids+=($!)
wait_healthy agent "127.0.0.1:$agent_health" "$work/agent.log" health-address
tessera agent list

step "register this user's workloads: parent = the agent, selector = your uid (SVIDs live 1 minute)" \
  tessera entry create --spiffe-id spiffe://example.org/quickstart/$me --parent-id AGENT --selector unix:uid:$(id -u) --x509-svid-ttl 1m --owner $me
tessera entry create --spiffe-id "spiffe://example.org/quickstart/$me" --parent-id "$agent_id" --selector "unix:uid:$(id -u)" \
  --x509-svid-ttl 1m --owner "$me" --purpose "quickstart"

export SPIFFE_ENDPOINT_SOCKET="unix://$work/public/api.sock"
step "ask the Workload API who we are; the agent attests us from the kernel (uid, binary, sha256)" tessera agent api fetch x509 --write DIR/svid
tessera agent api fetch x509 --write "$work/svid" --timeout 20s

if command -v openssl >/dev/null; then
  step "openssl, a verifier nobody here wrote, accepts it and shows the SPIFFE ID" openssl verify -CAfile bundle.pem svid.pem
  openssl verify -x509_strict -CAfile "$work/svid/bundle.pem" "$work/svid/svid.pem"
  openssl x509 -in "$work/svid/svid.pem" -noout -ext subjectAltName -enddate
fi

step "watch it rotate: the agent renews it at about half its lifetime (±10% jitter) and pushes the new SVID" tessera agent api watch --for 45s
tessera agent api watch --for 45s

step "the audit log recorded every step, and its hash chain verifies" tessera audit verify
tessera audit list | tail -n 5
tessera audit verify
printf '\ndone: a local trust domain issued, verified and rotated an identity.\n'
