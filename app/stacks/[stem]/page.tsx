import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ParameterTable } from '@/components/stacks/parameter-table';
import { byteLength, toYaml } from '@/lib/cfn/serialize';
import { allStacks, findStem, LINES, stackByStem } from '@/templates';
import { renderTemplate } from '@/templates/stack';

type Props = { params: Promise<{ stem: string }> };

export function generateStaticParams() {
  return allStacks().map((stack) => ({ stem: stack.stem }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const stack = stackByStem((await params).stem);
  return { title: stack?.title ?? 'Unknown stack' };
}

export default async function StackPage({ params }: Props) {
  const { stem } = await params;
  const found = findStem(stem);
  if (!found || found.stack.stem !== stem) notFound();
  const { line, stack } = found;
  const template = renderTemplate(stack);
  const yaml = toYaml(template);
  const position = line.stacks.indexOf(stack) + 1;

  return (
    <article className="grid gap-6">
      <header>
        <p className="text-sm text-slate-500">
          <Link href="/" className="hover:underline">Stacks</Link> / {LINES.length > 1 && `${line.title}, `}step {position} of {line.stacks.length}
        </p>
        <h1 className="text-2xl font-semibold">{stack.title}</h1>
        <p className="mt-1 font-mono text-sm text-slate-600">{stack.stem}</p>
        <p className="mt-2 max-w-3xl text-slate-700">{stack.purpose}</p>
        {stack.aliases.length > 0 && (
          <p className="mt-1 text-sm text-slate-600">Also served as {stack.aliases.map((a) => `${a}.yaml`).join(', ')}.</p>
        )}
      </header>
      <section aria-labelledby="parameters">
        <h2 id="parameters" className="mb-3 text-xl font-semibold">Parameters</h2>
        <ParameterTable parameters={stack.parameters} />
      </section>
      <section aria-labelledby="template">
        <div className="mb-2 flex flex-wrap items-center gap-3">
          <h2 id="template" className="text-xl font-semibold">Default template</h2>
          <span className="text-sm text-slate-600">
            {Object.keys(template.Resources).length} resources · {byteLength(yaml).toLocaleString('en-US')} bytes of YAML
          </span>
          <a className="text-sm text-brand-dark underline" href={`/templates/${stack.stem}.yaml`} download>Download YAML</a>
          <a className="text-sm text-brand-dark underline" href={`/templates/${stack.stem}.json`} download>Download JSON</a>
        </div>
        <pre className="max-h-[32rem] overflow-auto rounded-lg border border-slate-200 bg-white p-4 text-xs" tabIndex={0} aria-label={`${stack.stem} template`}>
          {yaml}
        </pre>
      </section>
    </article>
  );
}
