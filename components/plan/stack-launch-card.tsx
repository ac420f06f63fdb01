'use client';

import { useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { cliCommand, type TemplateSource } from '@/lib/params/cli';
import { byHand, exportChangeWarnings } from '@/lib/params/export-changes';
import { accountLabel, targetOf } from '@/lib/params/accounts';
import type { Plan, PlanStack } from '@/lib/params/plan';
import { copySteps } from '@/lib/params/wiring';
import { quickCreateUrl, secretKeysToEnter } from '@/lib/params/quick-create';
import { templateUrlFor } from '@/lib/params/template-url';
import type { StackInfo } from '@/lib/plan';
import type { StackId, StackMeta } from '@/templates/stack';
import { CopyOutputs } from './copy-outputs';
import { TemplatePreview } from './template-preview';
import { isComplete, type DeployedStack } from './use-stack-outputs';

const LIMIT = 51_200;

export function StackLaunchCard(props: {
  plan: Plan;
  /** The stacks of the plan's line. */
  metas: readonly StackMeta[];
  stack: PlanStack;
  step: number;
  info: StackInfo;
  /** From the plan's graph: what this stack waits for and what could be created beside it. */
  order?: { after: StackId[]; alongside: StackId[] };
  onDownload: (stack: string, format: 'yaml' | 'json') => void;
  /** The plan's stacks as their accounts have them, by stack name (empty when they cannot be read). */
  deployed?: Readonly<Record<string, DeployedStack>>;
  /** The plan puts stacks in more than one account: each card says which one to sign in to. */
  acrossAccounts?: boolean;
}) {
  const { plan, metas, stack, step, info, order, onDownload, deployed = {}, acrossAccounts = false } = props;
  const region = targetOf(plan, stack.meta)?.region ?? plan.region;
  const nameOf = (id: StackId) => plan.stackNames[id] ?? id;
  const [showPreview, setShowPreview] = useState(false);
  const file = `${stack.meta.stem}.yaml`;
  const template: TemplateSource =
    info.yamlBytes > LIMIT ? { upload: { file, bucketVar: 'TEMPLATE_BUCKET', key: `lakerunner/${file}` } } : { file };
  const pending = Object.fromEntries(Object.entries(stack.pending).map(([k, p]) => [k, { ...p, stackName: nameOf(p.stack) }]));
  const updateWarnings = exportChangeWarnings(info.exportChanges, plan, metas).map(byHand);
  const cli = { stackName: stack.stackName, region: plan.region, specs: stack.meta.parameters, values: stack.values, pending, capabilities: info.capabilities, template, updateWarnings };
  const secrets = secretKeysToEnter(stack.meta.parameters, stack.values);
  // Outputs the account already has go into the link too, so the AWS console opens with them filled in.
  const known = Object.fromEntries(
    Object.entries(stack.pending).flatMap(([key, p]) => {
      const producer = deployed[nameOf(p.stack)];
      const value = isComplete(producer) ? producer?.outputs[p.output] : undefined;
      return value === undefined ? [] : [[key, value]];
    }),
  );

  return (
    <li className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label={`Step ${step}: ${stack.stackName}`}>
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h3 className="text-base font-semibold">
          {step}. {stack.meta.title}
        </h3>
        <code className="text-sm">{stack.stackName}</code>
        <span className="text-xs text-slate-600">{info.capabilities.length > 0 ? info.capabilities.join(', ') : 'no IAM capabilities needed'}</span>
      </div>
      {order && (
        <p className="text-sm text-slate-700" data-testid={`order-${stack.meta.id}`}>
          {order.after.length > 0 ? <>Start once {order.after.map(nameOf).join(' and ')} {order.after.length > 1 ? 'are' : 'is'} complete.</> : 'Start here.'}
          {order.alongside.length > 0 && <> Can run side by side with {order.alongside.map(nameOf).join(', ')}.</>}
        </p>
      )}
      {acrossAccounts && (
        <p className="text-sm font-medium text-slate-800" data-testid={`sign-in-${stack.meta.id}`}>
          Sign in to the AWS console in {accountLabel(plan, stack.meta)}, to launch this stack.
        </p>
      )}
      <div className="flex flex-wrap gap-2 text-sm">
        {plan.templateBaseUrl ? (
          <a
            className="rounded bg-brand px-3 py-1 font-medium text-white hover:bg-brand-dark"
            href={quickCreateUrl({ region, templateUrl: templateUrlFor(plan.templateBaseUrl, file), stackName: stack.stackName, specs: stack.meta.parameters, values: { ...stack.values, ...known } })}
            target="_blank"
            rel="noopener noreferrer"
            data-testid={`launch-${stack.meta.id}`}
          >
            Launch stack<span className="sr-only"> {stack.stackName} in the AWS console</span>
          </a>
        ) : (
          <span className="text-slate-600">Set the template base URL below to get a Launch stack link.</span>
        )}
        <button type="button" className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50" onClick={() => onDownload(stack.meta.id, 'yaml')}>
          Download YAML<span className="sr-only"> of {stack.stackName}</span>
        </button>
        <button type="button" className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50" onClick={() => onDownload(stack.meta.id, 'json')}>
          Download JSON<span className="sr-only"> of {stack.stackName}</span>
        </button>
        <button type="button" aria-expanded={showPreview} className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50" onClick={() => setShowPreview((v) => !v)}>
          {showPreview ? 'Hide' : 'Preview'} template<span className="sr-only"> of {stack.stackName}</span>
        </button>
      </div>
      <CopyOutputs steps={copySteps(stack.meta, plan, metas)} deployed={deployed} stackName={stack.stackName} />
      {secrets.length > 0 && <p className="text-sm text-warn">Enter {secrets.join(', ')} yourself: secret values are never put into links.</p>}
      {showPreview && <TemplatePreview plan={plan} stack={stack.meta.id} />}
      <details>
        <summary className="cursor-pointer text-sm font-medium">AWS CLI commands</summary>
        {(['create', 'update'] as const).map((mode) => {
          const text = cliCommand(cli, mode);
          return (
            <div key={mode} className="mt-2 grid gap-1">
              <div className="flex items-center gap-2 text-sm">
                <span className="font-medium">{mode === 'create' ? 'Create' : 'Update'}</span>
                <CopyButton text={text} label={`Copy ${mode} command`} />
              </div>
              <pre className="overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100" tabIndex={0} aria-label={`${mode} command for ${stack.stackName}`}>
                {text}
              </pre>
            </div>
          );
        })}
      </details>
    </li>
  );
}
