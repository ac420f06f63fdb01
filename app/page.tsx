import { StackList } from '@/components/stacks/stack-list';
import { STACKS } from '@/templates';
import { toMeta } from '@/templates/stack';

export default function HomePage() {
  return (
    <div className="grid gap-6">
      <section>
        <h1 className="text-2xl font-semibold">Lakerunner stacks</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          Lakerunner runs on AWS as a set of CloudFormation stacks, deployed in this order. Each stack imports what the
          stacks before it export; optional stacks can be left out.
        </p>
      </section>
      <StackList stacks={STACKS.map(toMeta)} />
    </div>
  );
}
