#!/usr/bin/env bash
# The main job, for a newcomer on a fresh machine: builds the tessera CLI and walks through a throw-away
# trust domain. (The server and agent replace this walk-through when they land.)
set -euo pipefail
cd "$(dirname "$0")"

dotnet build src/Tessera.Cli -c Release -v quiet -nologo >/dev/null
tessera() { dotnet src/Tessera.Cli/bin/Release/net10.0/tessera.dll "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "check a SPIFFE ID"
tessera id parse spiffe://example.org/payments/api
tessera id parse spiffe://Example.org/payments/api || echo "(rejected, exit $?)"

step "issue an X509-SVID from a development CA"
tessera dev x509-svid --id spiffe://example.org/payments/api --out "$work" --ttl 10m
