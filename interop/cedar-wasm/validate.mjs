// Reads {"cases": [{"schema": "<cedar schema text>", "policies": "<cedar policies>"}]} on stdin and prints
// {"results": [{"parsed": bool, "errors": [{"policyId", "message"}]}]}: the reference implementation's
// strict validation of each policy set. Used by Tessera.Policy's differential validator tests.
import { validate } from '@cedar-policy/cedar-wasm/nodejs';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { cases } = JSON.parse(input);
const results = cases.map(({ schema, policies }) => {
  const answer = validate({ schema, policies: { staticPolicies: policies }, validationSettings: { mode: 'strict' } });
  if (answer.type !== 'success') return { parsed: false, errors: answer.errors.map((e) => ({ policyId: '', message: e.message })) };
  return { parsed: true, errors: answer.validationErrors.map((e) => ({ policyId: e.policyId, message: e.error.message })) };
});
process.stdout.write(JSON.stringify({ results }));
