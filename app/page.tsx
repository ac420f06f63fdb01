import { DependencyGraph } from '@/components/stacks/dependency-graph';
import { StackList } from '@/components/stacks/stack-list';
import { lineMetas } from '@/templates';

export default function HomePage() {
  const lines = lineMetas();
  return (
    <div className="grid gap-6">
      <section>
        <h1 className="text-2xl font-semibold">Lakerunner stacks</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          Lakerunner runs on AWS as a set of CloudFormation stacks. Each stack uses what the stacks before it create, so it
          starts once they have completed; stacks that do not depend on each other can run side by side. Optional stacks can
          be left out.
        </p>
        {lines.length > 1 && (
          <p className="mt-2 max-w-3xl text-slate-700">
            The console deploys {lines.length} release lines, each its own set of stacks. A deployment stays on the line it was created on:
            there is no in-place path from one line to another.
          </p>
        )}
      </section>
      {lines.map((line) => (
        <section key={line.id} aria-labelledby={`line-${line.id}`} className="grid gap-4">
          <div>
            <h2 id={`line-${line.id}`} className="text-xl font-semibold">
              {line.title}
            </h2>
            <p className="text-sm text-slate-600">{line.release}</p>
            <p className="mt-1 max-w-3xl text-slate-700">{line.summary}</p>
          </div>
          <DependencyGraph stacks={line.stacks} />
          <StackList stacks={line.stacks} />
        </section>
      ))}
    </div>
  );
}
