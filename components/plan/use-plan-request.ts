'use client';

import { useState } from 'react';

export type RequestState = { status: 'idle' | 'busy' } | { status: 'error'; message: string } | { status: 'done'; message: string };

/**
 * Posts the plan to a plan route. A 400 with field errors goes back onto the form through
 * `onFieldErrors`; other failures become a message. Returns the response when it is OK.
 */
export function usePlanRequest(onFieldErrors: (errors: Record<string, string>) => void) {
  const [state, setState] = useState<RequestState>({ status: 'idle' });

  async function send(path: string, body: object): Promise<Response | undefined> {
    setState({ status: 'busy' });
    let response: Response;
    try {
      response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    } catch {
      setState({ status: 'error', message: 'The console could not be reached. Check your connection and try again; nothing was lost.' });
      return undefined;
    }
    if (response.ok) {
      setState({ status: 'idle' });
      return response;
    }
    const payload = (await response.json().catch(() => ({}))) as { error?: string; fieldErrors?: Record<string, string> };
    if (payload.fieldErrors) onFieldErrors(payload.fieldErrors);
    setState({ status: 'error', message: payload.error ?? `The console answered ${response.status}.` });
    return undefined;
  }

  async function download(path: string, body: object, fallbackName: string) {
    const response = await send(path, body);
    if (!response) return;
    const blob = await response.blob();
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setState({ status: 'done', message: `Downloaded ${name}.` });
  }

  return { state, setState, send, download };
}
