// Fetches from a SPIFFE Workload API with Node's @grpc/grpc-js, for Tessera's interop tests.
// usage: node fetch.mjs PROTO SOCKET OUTDIR      FetchX509SVID + FetchX509Bundles with the security header;
//                                                writes OUTDIR/svid.pem (leaf), intermediates.pem, bundle.pem,
//                                                federated-<n>.pem and prints a JSON summary on stdout
//        node fetch.mjs PROTO SOCKET --no-header FetchX509SVID without the header; prints {"code","details"}
// Nothing here is Tessera code: the client stack is grpc-js and proto-loader, the key is parsed by Node's crypto.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const [protoPath, socketPath, mode] = process.argv.slice(2);
const definition = protoLoader.loadSync(protoPath, { keepCase: true, longs: String, defaults: true });
const { SpiffeWorkloadAPI } = grpc.loadPackageDefinition(definition);
const client = new SpiffeWorkloadAPI(`unix://${socketPath}`, grpc.credentials.createInsecure());
const deadline = () => new Date(Date.now() + 15000);

// Splits concatenated DER certificates (each a SEQUENCE with a definite length) into single certificates.
function splitDer(buffer) {
  const certs = [];
  let offset = 0;
  while (offset < buffer.length) {
    if (buffer[offset] !== 0x30) throw new Error(`no DER SEQUENCE at offset ${offset}`);
    let length = buffer[offset + 1];
    let header = 2;
    if (length & 0x80) {
      const bytes = length & 0x7f;
      length = 0;
      for (let i = 0; i < bytes; i++) length = (length << 8) | buffer[offset + 2 + i];
      header += bytes;
    }
    certs.push(buffer.subarray(offset, offset + header + length));
    offset += header + length;
  }
  return certs;
}

const pem = (ders) => ders.map((der) => new X509Certificate(der).toString()).join('');

function first(call) {
  return new Promise((resolve, reject) => {
    call.on('data', (message) => { resolve(message); call.cancel(); });
    call.on('error', (error) => { if (error.code !== grpc.status.CANCELLED) reject(error); });
    call.on('end', () => reject(new Error('stream ended without a message')));
  });
}

async function main() {
  if (mode === '--no-header') {
    try {
      await first(client.FetchX509SVID({}, new grpc.Metadata(), { deadline: deadline() }));
      return { code: 'OK', details: '' };
    } catch (error) {
      return { code: grpc.status[error.code] ?? String(error.code), details: error.details };
    }
  }

  const metadata = new grpc.Metadata();
  metadata.set('workload.spiffe.io', 'true');
  const svids = await first(client.FetchX509SVID({}, metadata, { deadline: deadline() }));
  const bundles = await first(client.FetchX509Bundles({}, metadata, { deadline: deadline() }));
  const svid = svids.svids[0];
  const chain = splitDer(svid.x509_svid);
  writeFileSync(join(mode, 'svid.pem'), pem(chain.slice(0, 1)));
  writeFileSync(join(mode, 'intermediates.pem'), pem(chain.slice(1)));
  writeFileSync(join(mode, 'bundle.pem'), pem(splitDer(svid.bundle)));
  const federated = Object.keys(svids.federated_bundles).sort();
  federated.forEach((key, i) => writeFileSync(join(mode, `federated-${i}.pem`), pem(splitDer(svids.federated_bundles[key]))));
  const key = createPrivateKey({ key: svid.x509_svid_key, format: 'der', type: 'pkcs8' });
  return {
    svids: svids.svids.map((s) => ({ spiffe_id: s.spiffe_id, hint: s.hint })),
    chain_length: chain.length,
    key_type: key.asymmetricKeyType,
    key_matches_leaf: new X509Certificate(chain[0]).checkPrivateKey(key),
    federated_bundles: federated,
    bundles: Object.keys(bundles.bundles).sort(),
  };
}

main()
  .then((result) => { process.stdout.write(JSON.stringify(result)); client.close(); })
  .catch((error) => { process.stderr.write(`${error.stack ?? error}\n`); client.close(); process.exit(1); });
