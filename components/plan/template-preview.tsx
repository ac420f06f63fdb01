'use client';

import { useEffect, useState } from 'react';
import type { Plan } from '@/lib/params/plan';

type Preview = { text: string; bytes: number; overLimit: boolean; resources: number };

/** The stack's customized template as the server renders it, refreshed as the plan changes. */
export function TemplatePreview({ plan, stack }: { plan: Plan; stack: string }) {
  const [format, setFormat] = useState<'yaml' | 'json'>('yaml');
  const [preview, setPreview] = useState<Preview | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/plan/preview?stack=${encodeURIComponent(stack)}&format=${format}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(plan),
          signal: controller.signal,
        });
        if (!response.ok) {
          setProblem(((await response.json().catch(() => ({}))) as { error?: string }).error ?? `Preview failed (${response.status}).`);
          return;
        }
        const text = await response.text();
        const headers = response.headers;
        const display = format === 'json' ? JSON.stringify(JSON.parse(text), null, 2) : text;
        setPreview({
          text: display,
          bytes: Number(headers.get('x-template-bytes')),
          overLimit: headers.get('x-template-over-limit') === 'true',
          resources: Number(headers.get('x-template-resources')),
        });
        setProblem(undefined);
      } catch {
        // The browser's own words ("Failed to fetch") say nothing to the reader.
        if (!controller.signal.aborted) setProblem('The preview could not be loaded: the console did not answer. Check the connection; the preview tries again when the plan changes.');
      }
    }, 300);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [plan, stack, format]);

  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap items-center gap-3 text-sm" role="group" aria-label="Preview format">
        {(['yaml', 'json'] as const).map((f) => (
          <button
            key={f}
            type="button"
            aria-pressed={format === f}
            onClick={() => setFormat(f)}
            className="rounded border border-slate-300 px-2 py-0.5 aria-pressed:bg-brand aria-pressed:text-white"
          >
            {f.toUpperCase()}
          </button>
        ))}
        {preview && (
          <span className="text-slate-600">
            {preview.resources} resources · {preview.bytes.toLocaleString('en-US')} bytes{format === 'json' ? ' compact' : ''}
            {preview.overLimit && ' — over the 51,200-byte TemplateBody limit: deploy it through S3'}
          </span>
        )}
      </div>
      {problem && <p className="text-sm text-bad">{problem}</p>}
      <pre
        className="max-h-96 overflow-auto rounded border border-slate-200 bg-slate-50 p-3 text-xs"
        tabIndex={0}
        aria-label={`${stack} template preview`}
        aria-busy={!preview}
      >
        {preview?.text ?? 'Rendering…'}
      </pre>
    </div>
  );
}
