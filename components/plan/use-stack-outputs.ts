'use client';

import { useEffect, useState } from 'react';
import type { AccountTarget } from '@/lib/params/accounts';

export interface DeployedStack {
  status: string;
  outputs: Record<string, string>;
}

/** Stacks the plan puts in another account, read there through the plan's deploy role. */
export interface OtherAccountStacks {
  account: AccountTarget;
  names: readonly string[];
}

type Answer = { available: boolean; stacks?: Record<string, DeployedStack> };

async function read(url: string, init: RequestInit): Promise<Record<string, DeployedStack>> {
  const response = await fetch(url, init);
  const answer: Answer = response.ok ? ((await response.json()) as Answer) : { available: false };
  return answer.available ? (answer.stacks ?? {}) : {};
}

/**
 * The named stacks as their accounts have them now, by stack name: those in the deployment's
 * account read in the connected account, each other account's through its role (its ExternalId in
 * a POST body, never a URL). An account that cannot be read adds nothing. Fetched once per set.
 */
export function useStackOutputs(region: string, names: readonly string[], others: readonly OtherAccountStacks[] = []): Readonly<Record<string, DeployedStack>> {
  // (the key stays in this component's memory: it is never sent or stored as it is)
  const key = JSON.stringify([region, [...names].sort(), others.map((o) => [o.account, [...o.names].sort()])]);
  const [found, setFound] = useState<{ key: string; stacks: Record<string, DeployedStack> }>();
  useEffect(() => {
    const controller = new AbortController();
    const reads: Promise<Record<string, DeployedStack>>[] = [];
    if (names.length > 0) reads.push(read(`/api/aws/stack-outputs?${new URLSearchParams({ region, stacks: names.join(',') })}`, { signal: controller.signal }));
    for (const other of others.filter((o) => o.names.length > 0))
      reads.push(
        read('/api/aws/stack-outputs', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ stacks: other.names, account: other.account }),
          signal: controller.signal,
        }).catch(() => ({})),
      );
    if (reads.length === 0) return;
    Promise.all(reads)
      .then((all) => setFound({ key, stacks: Object.assign({}, ...all) as Record<string, DeployedStack> }))
      .catch(() => undefined);
    return () => controller.abort();
    // `key` stands for region, names and the other accounts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return found?.key === key ? found.stacks : {};
}

/** Whether a stack's outputs can be used: it completed its last create or update. */
export const isComplete = (stack: DeployedStack | undefined) => stack !== undefined && /^(CREATE|UPDATE|IMPORT)_COMPLETE$|^UPDATE_ROLLBACK_COMPLETE$/.test(stack.status);
