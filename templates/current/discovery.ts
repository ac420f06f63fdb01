// How discovery recognizes a current-line deployment among a region's stacks: its stacks do not
// name each other, they pass outputs to parameters, so a stack belongs with another when one of its
// parameters holds the other's output that its input names (infra-base's ProcessRoleArn in the
// satellite's LakerunnerPrincipal, the collector's endpoint in the services root…). Nested children
// never reach here (lib/deploy/discover.ts leaves out stacks with a parent). Names for the stacks
// a deployment lacks are the line's default names, suffixed when taken.
import type { FoundGroup, FoundStack, LineDiscovery } from '../line';
import { inputSources, type StackId, type StackMeta } from '../stack';

type Stacks = readonly Pick<StackMeta, 'id' | 'stem' | 'inputs'>[];

/** The stack a group is named after: the first of these it has. */
const ANCHORS: readonly StackId[] = ['infra-base', 'services', 'satellite-infra-base', 'infra-rds', 'satellite-services', 'cwmetrics', 'vpc', 'cluster'];

/** Whether `consumer` reads an output of `producer` (an input of its stack names that output, and the values match). */
function reads(stacks: Stacks, consumer: FoundStack, producer: FoundStack): boolean {
  const inputs = stacks.find((s) => s.id === consumer.id)?.inputs ?? {};
  return Object.entries(inputs).some(([key, input]) => {
    const value = consumer.parameters[key];
    if (value === undefined || value === '' || !inputSources(input).includes(producer.id)) return false;
    const outputs = 'output' in input ? [input.output[1]] : 'outputBy' in input ? Object.values(input.outputBy.cases).map(([, output]) => output) : [];
    return outputs.some((output) => producer.outputs[output] === value);
  });
}

function group(stacks: Stacks, found: readonly FoundStack[]): FoundGroup[] {
  // Union-find over "reads an output of".
  const parent = found.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  found.forEach((a, i) =>
    found.forEach((b, j) => {
      if (i !== j && reads(stacks, a, b)) parent[root(i)] = root(j);
    }),
  );
  const groups = new Map<number, FoundStack[]>();
  found.forEach((stack, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), stack]));
  return [...groups.values()].map((members) => {
    const anchor = ANCHORS.map((id) => members.filter((m) => m.id === id).sort((a, b) => a.name.localeCompare(b.name))[0]).find(Boolean) ?? members[0]!;
    return { key: anchor.name, members };
  });
}

function relationWarnings(stacks: Stacks, chosen: ReadonlyMap<StackId, FoundStack>, titleOf: (id: StackId) => string): string[] {
  const warnings: string[] = [];
  for (const id of ['infra-base', 'infra-rds', 'satellite-infra-base', 'satellite-services', 'services'])
    if (!chosen.has(id)) warnings.push(`No ${titleOf(id)} stack was found with the others; deploying this deployment would create one.`);
  for (const stack of chosen.values()) {
    const inputs = stacks.find((s) => s.id === stack.id)?.inputs ?? {};
    for (const [key, input] of Object.entries(inputs)) {
      if (!('output' in input)) continue;
      const producer = chosen.get(input.output[0]);
      const value = stack.parameters[key];
      if (producer && value !== undefined && value !== '' && producer.outputs[input.output[1]] !== undefined && producer.outputs[input.output[1]] !== value)
        warnings.push(`${stack.name} (${titleOf(stack.id)}) has ${key} ${value}, not the ${input.output[1]} output of ${producer.name}.`);
    }
  }
  return warnings;
}

function stackNames(stacks: Stacks, chosen: ReadonlyMap<StackId, FoundStack>, existing: ReadonlySet<string>): Record<StackId, string> {
  const taken = new Set(existing);
  return Object.fromEntries(
    stacks.map(({ id, stem }) => {
      const own = chosen.get(id)?.name;
      if (own) return [id, own];
      let name = stem;
      for (let n = 2; taken.has(name); n += 1) name = `${stem}-${n}`;
      taken.add(name);
      return [id, name];
    }),
  );
}

const PLAN_NAME_MAX = 63;

function suggestName(key: string): string {
  const base = key.replace(/-?(lakerunner-)?(infra-base|services|satellite-infra-base|infra-rds)$/i, '').replace(/^cardinal$/i, '') || 'lakerunner';
  const cleaned = base.replace(/[^A-Za-z0-9 _.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (cleaned || 'lakerunner').slice(0, PLAN_NAME_MAX);
}

/** The current line's discovery over `stacks` (the line's, in order). */
export const discoveryCurrent = (stacks: Stacks): LineDiscovery => ({
  // Upstream's published templates carry these Descriptions (fact sheet §1.1); ours differ in wording.
  upstreamDescriptions: {},
  group: (found) => group(stacks, found),
  relationWarnings: (_group, chosen, titleOf) => relationWarnings(stacks, chosen, titleOf),
  stackNames: (_group, chosen, existing) => stackNames(stacks, chosen, existing),
  suggestName,
});
