// Reads {"cases": [{"policies": "<cedar text>", "template"?: {"id", "text", "links": [{newId, values}]},
//                   "entities": [...], "requests": [{principal, action, resource, context}]}]}
// on stdin and prints, per case, either {"parsed": false} or {"parsed": true, "answers": [{decision, reason, errors}]}
// computed by the Cedar reference implementation (cedar-wasm). Used by Tessera.Policy's differential tests.
import { isAuthorized, checkParsePolicySet } from '@cedar-policy/cedar-wasm/nodejs';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { cases } = JSON.parse(input);

const results = cases.map(({ policies, template, entities, requests }) => {
  const policySet = { staticPolicies: policies };
  if (template) {
    policySet.templates = { [template.id]: template.text };
    policySet.templateLinks = template.links.map((link) => ({ templateId: template.id, ...link }));
  }
  const parse = checkParsePolicySet(policySet);
  if (parse.type !== 'success') return { parsed: false };
  const answers = requests.map((request) => {
    const answer = isAuthorized({ ...request, policies: policySet, entities });
    if (answer.type !== 'success') return { failure: answer.errors.map((e) => e.message) };
    const { decision, diagnostics } = answer.response;
    return { decision, reason: diagnostics.reason, errors: diagnostics.errors.map((e) => e.policyId) };
  });
  return { parsed: true, answers };
});
process.stdout.write(JSON.stringify({ results }));
