'use client';

import { useEffect, useState } from 'react';

export interface DeployedStack {
  status: string;
  outputs: Record<string, string>;
}

/** The named stacks as the connected account has them now (none when the account cannot be read); fetched once per region and set of names. */
export function useStackOutputs(region: string, names: readonly string[]): Readonly<Record<string, DeployedStack>> {
  const key = `${region}|${[...names].sort().join(',')}`;
  const [found, setFound] = useState<{ key: string; stacks: Record<string, DeployedStack> }>();
  useEffect(() => {
    if (names.length === 0) return;
    const controller = new AbortController();
    const query = new URLSearchParams({ region, stacks: names.join(',') });
    fetch(`/api/aws/stack-outputs?${query}`, { signal: controller.signal })
      .then(async (response) => (response.ok ? ((await response.json()) as { available: boolean; stacks?: Record<string, DeployedStack> }) : { available: false }))
      .then((answer) => setFound({ key, stacks: answer.available ? (answer.stacks ?? {}) : {} }))
      .catch(() => undefined);
    return () => controller.abort();
    // `key` stands for region and names.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return found?.key === key ? found.stacks : {};
}

/** Whether a stack's outputs can be used: it completed its last create or update. */
export const isComplete = (stack: DeployedStack | undefined) => stack !== undefined && /^(CREATE|UPDATE|IMPORT)_COMPLETE$|^UPDATE_ROLLBACK_COMPLETE$/.test(stack.status);
