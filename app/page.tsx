import { DependencyGraph } from '@/components/stacks/dependency-graph';
import { StackList } from '@/components/stacks/stack-list';
import { STACKS } from '@/templates';
import { toMeta } from '@/templates/stack';

export default function HomePage() {
  return (
    <div className="grid gap-6">
      <section>
        <h1 className="text-2xl font-semibold">Lakerunner stacks</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          Lakerunner runs on AWS as a set of CloudFormation stacks. Each stack imports what the stacks before it export, so
          it starts once they have completed; stacks that do not depend on each other can run side by side. Optional stacks
          can be left out.
        </p>
      </section>
      <DependencyGraph stacks={STACKS.map(toMeta)} />
      <StackList stacks={STACKS.map(toMeta)} />
    </div>
  );
}
