#!/usr/bin/env bash
# The main job, for a newcomer on a fresh machine: builds the tessera CLI and walks through a throw-away
# trust domain. (The server and agent replace this walk-through when they land.)
set -euo pipefail
cd "$(dirname "$0")"

echo "building the tessera CLI..."
dotnet build src/Tessera.Cli -c Release -v quiet -nologo >/dev/null
tessera() { dotnet src/Tessera.Cli/bin/Release/net10.0/tessera.dll "$@" 2>&1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

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

printf '\ndone: every check behaved as expected.\n'
