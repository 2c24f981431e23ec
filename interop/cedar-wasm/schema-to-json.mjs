// Reads {"schemas": ["<cedar schema text>", ...]} on stdin and prints {"results": [<JSON schema> | null, ...]}:
// the reference implementation's conversion of each schema to Cedar's JSON schema format (null when it
// rejects the schema). Used by Tessera.Policy's tests that the two schema formats give the same model.
import { schemaToJson } from '@cedar-policy/cedar-wasm/nodejs';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { schemas } = JSON.parse(input);
const results = schemas.map((schema) => {
  const answer = schemaToJson(schema);
  return answer.type === 'success' ? answer.json : null;
});
process.stdout.write(JSON.stringify({ results }));
