'use client';

import { useEffect, useState } from 'react';
import type { SubnetSummary, VpcSummary } from '@/lib/aws/network';

export type AccountNetwork = { available: true; mode: string; vpcs: VpcSummary[]; subnets: SubnetSummary[] } | { available: false; reason?: string };

/** The connected account's VPCs and subnets in a region, for pickers; fetched once per region. */
export function useAccountNetwork(region: string): AccountNetwork {
  const [network, setNetwork] = useState<{ region: string; value: AccountNetwork } | undefined>();
  useEffect(() => {
    if (region === '') return;
    const controller = new AbortController();
    fetch(`/api/aws/network?region=${encodeURIComponent(region)}`, { signal: controller.signal })
      .then(async (response) => (response.ok ? ((await response.json()) as AccountNetwork) : { available: false as const }))
      .then((value) => setNetwork({ region, value }))
      .catch(() => {
        if (!controller.signal.aborted) setNetwork({ region, value: { available: false } });
      });
    return () => controller.abort();
  }, [region]);
  return network?.region === region ? network.value : { available: false };
}
