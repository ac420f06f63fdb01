// The current line's stack ids in deployment order (unique within the line).
export const CURRENT_STACK_IDS = ['vpc', 'cluster', 'infra-base', 'infra-rds', 'satellite-infra-base', 'satellite-services', 'services', 'cwmetrics'] as const;
export type CurrentStackId = (typeof CURRENT_STACK_IDS)[number];
