'use client';

import { useState } from 'react';
import { PlanEnvironmentProvider } from '@/components/plan/plan-environment';
import { AccessCheck, type AccessIdentity } from './access-check';
import { Operations, type OperationsContext } from './operations';

/** The access check and the operations it unlocks, sharing the confirmed account. */
export function DeploymentActions(props: { context: OperationsContext; roleArn?: string; hasExternalId: boolean; isAdmin: boolean; sandbox?: boolean }) {
  const [identity, setIdentity] = useState<AccessIdentity | undefined>();
  return (
    <div className="grid gap-6">
      <AccessCheck deploymentId={props.context.deploymentId} roleArn={props.roleArn} hasExternalId={props.hasExternalId} canEdit={props.isAdmin} onConfirmed={setIdentity} />
      <PlanEnvironmentProvider sandbox={props.sandbox ?? false}>
        <Operations context={props.context} account={identity?.account} />
      </PlanEnvironmentProvider>
    </div>
  );
}
