// Times the Cedar reference implementation (cedar-wasm) on a decision workload written by Tessera.Bench's
// `policy` mode. Usage: node bench.mjs WORKLOAD.json. The file holds {"policies": "<cedar text>",
// "entities": [...], "requests": [{principal, action, resource, context}], "seconds": N}. The policy set is
// preparsed once (the stateful API); entities go with every call, as that API requires. Prints
// {"decisions": [...first pass...], "count": n, "seconds": s, "perSecond": r}.
import { readFileSync } from 'node:fs';
import { preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';

const { policies, entities, requests, seconds } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const parsed = preparsePolicySet('bench', { staticPolicies: policies });
if (parsed.type !== 'success') throw new Error(JSON.stringify(parsed.errors));

const decide = (request) => {
  const answer = statefulIsAuthorized({ ...request, preparsedPolicySetId: 'bench', entities });
  if (answer.type !== 'success') throw new Error(JSON.stringify(answer.errors));
  return answer.response.decision;
};

const decisions = requests.map(decide); // first pass: the answers, and warm-up
let count = 0;
const start = process.hrtime.bigint();
const limit = BigInt(Math.round(seconds * 1e9));
while (process.hrtime.bigint() - start < limit) {
  decide(requests[count % requests.length]);
  count++;
}
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(JSON.stringify({ decisions, count, seconds: elapsed, perSecond: count / elapsed }));
