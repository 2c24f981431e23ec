// Verifies JWT-SVIDs the way an OIDC relying party that knows nothing of SPIFFE does: it reads the issuer's
// discovery document, takes its jwks_uri, and lets `jose` fetch the keys (createRemoteJWKSet).
// stdin:  {"discovery":"<url of /.well-known/openid-configuration>","cases":[{"name","token","audience","currentDate"?}]}
// stdout: {"issuer":...,"jwks_uri":...,"results":{"<name>":{"ok":true,"sub":...,"iss":...,"jti":...,"kid":...} | {"ok":false,"code":...,"message":...}}}
// Each case gets a fresh remote key set, so a key removed from the JWK Set is seen as removed.
import { jwtVerify, createRemoteJWKSet } from 'jose';

const input = JSON.parse(await new Promise((resolve, reject) => {
  let data = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
  process.stdin.on('error', reject);
}));

const response = await fetch(input.discovery);
if (!response.ok) {
  throw new Error(`discovery document: HTTP ${response.status}`);
}
const discovery = await response.json();

const results = {};
for (const c of input.cases) {
  try {
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(c.token, jwks, {
      issuer: discovery.issuer,
      audience: c.audience,
      algorithms: discovery.id_token_signing_alg_values_supported,
      requiredClaims: ['sub', 'aud', 'exp', 'iat', 'jti'],
      currentDate: c.currentDate ? new Date(c.currentDate) : undefined,
    });
    results[c.name] = { ok: true, sub: payload.sub, iss: payload.iss, jti: payload.jti, kid: protectedHeader.kid };
  } catch (error) {
    results[c.name] = { ok: false, code: error.code ?? error.name, message: error.message };
  }
}

process.stdout.write(JSON.stringify({ issuer: discovery.issuer, jwks_uri: discovery.jwks_uri, results }));
