import { CopyButton } from '@/components/ui/copy-button';
import type { CopyStep } from '@/lib/params/wiring';
import { isComplete, type DeployedStack } from './use-stack-outputs';

/**
 * The launch checklist of a stack: after each earlier stack completes, which of its outputs go
 * into which parameters; with the value once the console can read that stack in the account.
 */
export function CopyOutputs({ steps, deployed, stackName }: { steps: readonly CopyStep[]; deployed: Readonly<Record<string, DeployedStack>>; stackName: string }) {
  if (steps.length === 0) return null;
  return (
    <div className="grid gap-1 text-sm" data-testid={`copy-outputs-${stackName}`}>
      <p className="text-warn">
        In the AWS console these parameters take outputs of earlier stacks (the CLI commands and deploy.sh look them up themselves):
      </p>
      <ul className="ml-5 list-disc" aria-label={`Outputs to copy into ${stackName}`}>
        {steps.map((step) => {
          const stack = deployed[step.stackName];
          const ready = isComplete(stack);
          return (
            <li key={step.stack}>
              After <code>{step.stackName}</code> completes{stack && !ready ? ` (it is ${stack.status} now)` : ''}, copy
              <ul className="ml-4">
                {step.copies.map(({ output, parameter }) => {
                  const value = ready ? stack?.outputs[output] : undefined;
                  return (
                    <li key={parameter}>
                      output <code>{output}</code> into parameter <code>{parameter}</code>
                      {value !== undefined && (
                        <>
                          : <code className="break-all">{value}</code> <CopyButton text={value} label={`Copy ${output}`} />
                        </>
                      )}
                    </li>
                  );
                })}
              </ul>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
