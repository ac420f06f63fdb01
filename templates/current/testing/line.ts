// Test fixture: the current line's stacks as a release line, with just enough data for the engine,
// the bundle and the run page to work from (the registered line, with its form fields, access
// points and discovery, is templates/current/line.ts). Never registered.
import type { ReleaseLine } from '../../line';
import { CURRENT_STACKS } from '../index';

export const CURRENT_TEST_LINE: ReleaseLine = {
  id: 'current',
  title: 'Current layout (test)',
  summary: 'Upstream v1.7.5, for tests.',
  release: 'lakerunner v1.81.0',
  stacks: CURRENT_STACKS,
  toggles: [
    { id: 'cluster', label: 'ECS cluster', help: 'A cluster for plans that bring none.', default: true },
    { id: 'cwmetrics', label: 'CloudWatch metrics', help: 'Streams CloudWatch metrics to the collector.', default: false },
  ],
  rules: [],
  network: { new: { label: 'New VPC', help: 'Made by the VPC stack.' }, existing: { label: 'Existing VPC', help: 'Yours.' } },
  sizes: { help: { production: 'Production sizes.', 'proof-of-concept': 'The smallest sizes.' }, where: 'the services stack' },
  exposure: [],
  operations: {
    images: [{ stack: 'services', keys: ['LakerunnerImage'] }],
    settings: {},
    teardownNote: 'Deletes every stack, cwmetrics first.',
  },
  discovery: {
    upstreamDescriptions: {},
    group: () => [],
    relationWarnings: () => [],
    stackNames: () => ({}),
    suggestName: (key) => key,
  },
  accessPoints: () => [],
  accessSummary: 'Maestro',
  rootCauseHints: [],
};
