import type { RunStackView } from '@/lib/deploy/types';
import { andList } from '@/lib/text';

export interface RecreateReasonView {
  stackName: string;
  change: string;
  exports: string[];
  importers: string[];
}

const code = (names: readonly string[]) => names.map((n, i) => <span key={n}>{i > 0 && (i === names.length - 1 ? ' and ' : ', ')}<code>{n}</code></span>);

/** Why a run deletes stacks and creates them again, in which order, and what that loses. */
export function RecreatePlan({ reasons, stacks, losses }: { reasons: readonly RecreateReasonView[]; stacks: readonly RunStackView[]; losses: readonly string[] }) {
  const recreated = stacks.filter((s) => s.action === 'recreate').map((s) => s.stackName);
  if (recreated.length === 0) return null;
  const changed = stacks.filter((s) => s.action !== 'recreate' && s.status !== 'unchanged' && s.status !== 'skipped').map((s) => s.stackName);
  return (
    <section aria-labelledby="recreate-heading" className="grid gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="recreate-plan">
      <h2 id="recreate-heading" className="text-lg font-semibold">Stacks deleted and created again</h2>
      {reasons.map((r) => (
        <p key={`${r.stackName}/${r.change}`}>
          Changing <code>{r.change}</code> of <code>{r.stackName}</code> changes {code(r.exports)}, which {andList(r.importers)} import{r.importers.length === 1 ? 's' : ''}.
          CloudFormation would refuse that update half-way (“Cannot update export … as it is in use by …”) and roll it back.
        </p>
      ))}
      <p>So this run, once approved:</p>
      <ol className="ml-5 list-decimal">
        <li>deletes {code([...recreated].reverse())}, the last created first;</li>
        <li>{changed.length > 0 ? <>updates {code(changed)};</> : 'applies the change;'}</li>
        <li>creates {code(recreated)} again from the plan.</li>
      </ol>
      {losses.length > 0 && (
        <>
          <p className="font-medium">What deleting them loses:</p>
          <ul className="ml-5 list-disc">
            {losses.map((loss) => (
              <li key={loss}>{loss}</li>
            ))}
          </ul>
        </>
      )}
      <p>If the run stops before the last step, resume the deployment: it creates them again.</p>
    </section>
  );
}
