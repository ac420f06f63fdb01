'use client';

import { createContext, useContext, type ReactNode } from 'react';

/** What the plan form knows about where the console deploys: against the sandbox, sample values may be offered. */
export interface PlanEnvironment {
  readonly sandbox: boolean;
}

// The context holds the flag itself, not an object around it: a provider's value that is new on
// every render of the form's owner would make React hydrate every section still waiting below
// it at once, in one long task, as soon as the form re-renders (it does when it is ready).
const Sandbox = createContext(false);

export function PlanEnvironmentProvider({ sandbox, children }: PlanEnvironment & { children: ReactNode }) {
  return <Sandbox.Provider value={sandbox}>{children}</Sandbox.Provider>;
}

export function usePlanEnvironment(): PlanEnvironment {
  return { sandbox: useContext(Sandbox) };
}
