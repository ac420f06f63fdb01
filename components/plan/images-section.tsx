'use client';

import { useFormContext, useWatch } from 'react-hook-form';
import { useFieldError } from '@/components/form/use-field-errors';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import { withImageRegistry } from '@/lib/params/images';
import type { Plan } from '@/lib/params/plan';
import type { LineMeta } from '@/templates/line';

/**
 * The line's release images (pinned by digest) and the plan's registry prefix for a private
 * mirror: shown for lines whose image parameters are mirrorable; the plan passes the composed
 * references as literal image parameters.
 */
export function ImagesSection({ line }: { line: LineMeta }) {
  const { register } = useFormContext<Plan>();
  const prefix = useWatch<Plan, 'imageRegistry'>({ name: 'imageRegistry' });
  const error = useFieldError('imageRegistry');
  const images = line.stacks.flatMap((meta) => meta.parameters.filter((p) => p.mirrorable).map((spec) => ({ stack: meta, spec })));
  if (images.length === 0) return null;
  return (
    <section aria-labelledby="images-heading" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="images-heading" className="text-lg font-semibold">Container images</h2>
      <p className="text-sm text-slate-700">
        The release’s images, pinned by digest ({line.release}). Every deploy passes them as literal parameters, so a new digest always rolls the tasks.
      </p>
      <FieldShell
        name="imageRegistry"
        label="Image registry (private mirror)"
        help="A registry prefix to pull the images from instead, path and digest kept, such as an ECR pull-through cache for ECR Public: 123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-public. Its first pulls need ecr:BatchImportUpstreamImage and ecr:CreateRepository on the execution roles (give a policy under Extra execution-role policies). Leave empty to pull from where the release publishes."
        error={error}
      >
        <input className={`${inputClass} font-mono`} autoComplete="off" spellCheck={false} placeholder="123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-public" {...controlProps('imageRegistry', true, error)} {...register('imageRegistry')} />
      </FieldShell>
      <ul className="grid gap-1 text-xs" aria-label="Images the plan passes">
        {images.map(({ stack, spec }) => (
          <li key={`${stack.id}.${spec.key}`} className="break-all">
            <span className="font-medium">{spec.label}</span> <code className="text-slate-500">{spec.key}</code>:{' '}
            <code>{withImageRegistry(error ? '' : prefix, spec, spec.default ?? '')}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
