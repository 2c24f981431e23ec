// Mints JWT-SVIDs with the `jose` library for Tessera's interop tests.
// stdin:  {"cases":[{"name","alg","kid","claims":{...},"mode":"sign"|"hs256"|"none","header":{...}}]}
// stdout: {"jwks":{"keys":[...]},"tokens":{"<name>":"<token>"}}
// One RSA or EC key pair is generated per algorithm; its public JWK goes into `jwks` with kid "<alg>-key"
// and use "jwt-svid", ready to be wrapped into a SPIFFE bundle. Cases may name another kid to test lookups.
import { SignJWT, generateKeyPair, exportJWK, base64url } from 'jose';

const input = JSON.parse(await new Promise((resolve, reject) => {
  let data = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
  process.stdin.on('error', reject);
}));

const keys = new Map();
const jwks = { keys: [] };

async function keyFor(alg) {
  if (!keys.has(alg)) {
    const options = { extractable: true };
    if (alg.startsWith('RS') || alg.startsWith('PS')) options.modulusLength = 2048;
    const pair = await generateKeyPair(alg, options);
    keys.set(alg, pair);
    const jwk = await exportJWK(pair.publicKey);
    jwks.keys.push({ ...jwk, kid: `${alg}-key`, use: 'jwt-svid' });
  }
  return keys.get(alg);
}

const encode = (value) => base64url.encode(new TextEncoder().encode(JSON.stringify(value)));

const tokens = {};
for (const c of input.cases) {
  const header = { alg: c.alg, typ: 'JWT', ...(c.kid === null ? {} : { kid: c.kid ?? `${c.alg}-key` }), ...(c.header ?? {}) };
  switch (c.mode ?? 'sign') {
    case 'sign': {
      const { privateKey } = await keyFor(c.alg);
      tokens[c.name] = await new SignJWT(c.claims).setProtectedHeader(header).sign(privateKey);
      break;
    }
    case 'hs256': {
      // A real HMAC token: jose signs it with a shared secret, as an attacker who knows one would.
      tokens[c.name] = await new SignJWT(c.claims).setProtectedHeader({ ...header, alg: 'HS256' }).sign(new Uint8Array(32).fill(7));
      break;
    }
    case 'none': {
      // jose refuses to produce unsecured JWTs with SignJWT, so build `alg: none` by hand (RFC 7519 §6.1).
      tokens[c.name] = `${encode({ ...header, alg: 'none' })}.${encode(c.claims)}.`;
      break;
    }
    default:
      throw new Error(`unknown mode ${c.mode}`);
  }
}

process.stdout.write(JSON.stringify({ jwks, tokens }));
