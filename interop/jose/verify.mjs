// Verifies JWT-SVIDs with the `jose` library against a SPIFFE bundle, for Tessera's interop tests.
// stdin:  {"bundle":{<SPIFFE bundle JWK Set>},"cases":[{"name","token","audience"}]}
// stdout: {"<name>":{"ok":true,"sub":...,"aud":...,"alg":...,"kid":...} | {"ok":false,"code":...,"message":...}}
//
// jose's createLocalJWKSet only uses keys whose `use` is absent or "sig" (RFC 7517 §4.2), so SPIFFE's
// `use: "jwt-svid"` entries (JWT-SVID §6.2) are selected first and their `use` dropped; x509-svid entries
// are left out, exactly as a JWT-SVID validator must do.
import { jwtVerify, createLocalJWKSet } from 'jose';

const input = JSON.parse(await new Promise((resolve, reject) => {
  let data = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
  process.stdin.on('error', reject);
}));

const keys = input.bundle.keys
  .filter((jwk) => jwk.use === 'jwt-svid')
  .map(({ use, ...jwk }) => jwk);
const jwks = createLocalJWKSet({ keys });

const results = {};
for (const c of input.cases) {
  try {
    const { payload, protectedHeader } = await jwtVerify(c.token, jwks, {
      audience: c.audience,
      algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512'],
      requiredClaims: ['sub', 'aud', 'exp'],
    });
    results[c.name] = { ok: true, sub: payload.sub, aud: payload.aud, alg: protectedHeader.alg, kid: protectedHeader.kid, typ: protectedHeader.typ };
  } catch (error) {
    results[c.name] = { ok: false, code: error.code ?? error.name, message: error.message };
  }
}

process.stdout.write(JSON.stringify(results));
