'use client';

import { createContext, useContext } from 'react';

/** What the plan form knows about where the console deploys: against the sandbox, sample values may be offered. */
export interface PlanEnvironment {
  readonly sandbox: boolean;
}

const Context = createContext<PlanEnvironment>({ sandbox: false });

export const PlanEnvironmentProvider = Context.Provider;

export const usePlanEnvironment = () => useContext(Context);
