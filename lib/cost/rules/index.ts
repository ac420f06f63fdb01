// Every resource type the estimate knows: how it is priced, or why it costs nothing.
import type { Rule } from '../model';
import { COMPUTE_RULES } from './compute';
import { NETWORK_RULES } from './network';
import { STORAGE_RULES } from './storage';

export const RULES: Readonly<Record<string, Rule>> = {
  ...COMPUTE_RULES,
  ...NETWORK_RULES,
  ...STORAGE_RULES,
  'AWS::IAM::Role': { free: 'IAM has no charge.' },
  'AWS::IAM::ManagedPolicy': { free: 'IAM has no charge.' },
  'AWS::IAM::Policy': { free: 'IAM has no charge.' },
};

export { tasksByLogGroup } from './compute';
