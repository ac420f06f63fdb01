// A small release line for unit tests only (never registered): proves the plan, its schema, the
// form's storage and the engine's scoping work from a line's data alone. Four stacks: a network
// made only for a new network, a core always there, an edge that is a toggle (on by default) and
// an extra toggle that needs the edge. Its id is `current`, so tests can stand it beside the 2025 line.
import { ref, type Resource } from '@/lib/cfn/template';
import type { AccessPoint, ReleaseLine } from '../line';
import { defineStack, type StackDefinition } from '../stack';

const marker = (name: string): Record<string, Resource> => ({ Marker: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: name } } });

const net = defineStack({
  id: 'net',
  stem: 'fixture-net',
  aliases: [],
  title: 'Network',
  purpose: 'A network for plans that bring none.',
  inclusion: 'new-network',
  lossOnDelete: '',
  parameters: [{ key: 'Cidr', type: 'String', label: 'CIDR', description: 'The network range.', group: 'Network', default: '10.0.0.0/16' }],
  rules: [],
  needs: [],
  after: [],
  inputs: {},
  build: () => ({ Description: 'Fixture network', Resources: marker('net'), Outputs: { NetId: { Value: 'net-1' }, PublicNets: { Value: 'pub-1,pub-2' } } }),
});

const core = defineStack({
  id: 'core',
  stem: 'fixture-core',
  aliases: [],
  title: 'Core',
  purpose: 'What every plan has.',
  inclusion: 'always',
  lossOnDelete: 'its data',
  parameters: [
    { key: 'NetId', type: 'String', label: 'Network', description: 'The network to run in.', group: 'Network' },
    { key: 'PublicNets', type: 'String', label: 'Public networks', description: 'Where an internet-facing edge goes.', group: 'Network', default: '' },
    { key: 'Image', type: 'String', label: 'Image', description: 'The core image.', group: 'Images', default: 'core:1' },
    { key: 'Telemetry', type: 'String', label: 'Telemetry endpoint', description: 'Where the core sends its telemetry.', group: 'Telemetry', default: '' },
    { key: 'Workers', type: 'Number', label: 'Workers', description: 'How many workers run.', group: 'Size', default: '4', proofOfConcept: '1' },
  ],
  rules: [],
  needs: [],
  after: ['net'],
  inputs: { NetId: { output: ['net', 'NetId'] }, PublicNets: { output: ['net', 'PublicNets'] } },
  build: () => ({ Description: 'Fixture core', Resources: marker('core'), Outputs: { Url: { Value: ref('AWS::StackName') } } }),
});

const edge = defineStack({
  id: 'edge',
  stem: 'fixture-edge',
  aliases: [],
  title: 'Edge',
  purpose: 'Takes traffic in.',
  inclusion: 'toggle',
  lossOnDelete: '',
  parameters: [
    { key: 'CoreStackName', type: 'String', label: 'Core stack', description: 'The core stack.', group: 'Stacks' },
    { key: 'Scheme', type: 'String', label: 'Scheme', description: 'Internal or internet-facing.', group: 'Edge', default: 'internal', allowedValues: ['internal', 'internet-facing'] },
    { key: 'EdgeImage', type: 'String', label: 'Edge image', description: 'The edge image.', group: 'Images', default: 'edge:1' },
  ],
  rules: [],
  needs: ['core'],
  after: ['core'],
  inputs: { CoreStackName: { stackName: 'core' } },
  build: () => ({ Description: 'Fixture edge', Resources: marker('edge') }),
});

const extra = defineStack({
  id: 'extra',
  stem: 'fixture-extra',
  aliases: [],
  title: 'Extra',
  purpose: 'Needs the edge.',
  inclusion: 'toggle',
  lossOnDelete: '',
  parameters: [{ key: 'Token', type: 'String', label: 'Token', description: 'A secret.', group: 'Secrets', default: '', noEcho: true }],
  rules: [],
  needs: [],
  after: ['edge'],
  inputs: {},
  build: () => ({ Description: 'Fixture extra', Resources: marker('extra') }),
});

export const FIXTURE_STACKS: readonly StackDefinition[] = [net, core, edge, extra];

export const FIXTURE_LINE: ReleaseLine = {
  id: 'current',
  title: 'Fixture layout',
  summary: 'A layout for tests.',
  release: 'fixture v1',
  stacks: FIXTURE_STACKS,
  toggles: [
    { id: 'edge', label: 'Edge', help: 'Takes traffic in.', default: true },
    { id: 'extra', label: 'Extra', help: 'Needs the edge.', default: false },
  ],
  rules: [
    { kind: 'toggle-needs', toggle: 'extra', needs: 'edge', message: 'The extra stack needs the edge.' },
    {
      kind: 'value-needs',
      when: { stack: 'edge', key: 'Scheme', equals: 'internet-facing' },
      needs: { stack: 'core', key: 'PublicNets' },
      message: 'An internet-facing edge needs public networks in the core stack.',
    },
  ],
  network: { new: { label: 'New network', help: 'Made by the net stack.' }, existing: { label: 'Existing network', help: 'Yours.' } },
  sizes: { help: { production: 'Four workers.', 'proof-of-concept': 'One worker.' }, where: 'the core stack' },
  exposure: [],
  operations: {
    images: [
      { stack: 'edge', keys: ['EdgeImage'] },
      { stack: 'core', keys: ['Image'] },
    ],
    otlpEndpoint: { stack: 'core', parameter: 'Telemetry' },
    settings: { edge: ['Scheme'] },
    teardownNote: 'Deletes every stack.',
  },
  discovery: {
    upstreamDescriptions: {},
    group: (found) => (found.length > 0 ? [{ key: 'fixture', members: [...found] }] : []),
    relationWarnings: () => [],
    stackNames: (_group, chosen) => Object.fromEntries(FIXTURE_STACKS.map((s) => [s.id, chosen.get(s.id)?.name ?? s.stem])),
    suggestName: () => 'fixture',
  },
  accessPoints: (outputs): AccessPoint[] => (outputs.core?.Url ? [{ kind: 'link', label: 'Core', url: outputs.core.Url }] : []),
  accessSummary: 'the core',
  rootCauseHints: [],
};
