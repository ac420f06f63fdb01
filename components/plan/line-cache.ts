// The release lines the plan form knows: the page comes with its plan's line only (the other
// lines' specs are most of what it would otherwise carry), and another line is fetched from
// /api/plan/lines/<id> when the plan needs it (a switch, or a plan stored on it), once.
import type { LoadedLine } from '@/lib/plan';
import type { LineMeta } from '@/templates/line';
import type { LineId } from '@/templates/stack';

/** What the release choice shows of a line before it is loaded. */
export type LineChoice = Pick<LineMeta, 'id' | 'title' | 'summary' | 'release'>;

export const toLineChoice = ({ id, title, summary, release }: LineMeta): LineChoice => ({ id, title, summary, release });

/** A line the plan needs that is not loaded yet: on its way, or not loaded (with why). */
export type LineLoad = { readonly status: 'idle' } | { readonly status: 'loading'; readonly id: LineId } | { readonly status: 'error'; readonly id: LineId; readonly message: string };

export interface LineCache {
  /** The line the page came with. */
  readonly initial: LoadedLine;
  get(id: LineId): LoadedLine | undefined;
  /** The loaded lines' metas, the page's line first. */
  metas(): readonly LineMeta[];
  /** The line, fetched once (asks while it is on the way share the fetch; a failed fetch is tried again on the next ask). */
  load(id: LineId): Promise<LoadedLine>;
}

/** Why a line did not come when the request (or the code that makes it) did not get through. */
export const UNREACHABLE = 'The console could not be reached: check the connection.';

/** Its code loads with the first line the plan needs beyond the page's own. */
const fetchLine = (id: LineId) =>
  import('./line-fetch').then(
    (m) => m.fetchLine(id),
    () => Promise.reject(new Error(UNREACHABLE)),
  );

export function lineCache(initial: LoadedLine, fetcher: (id: LineId) => Promise<LoadedLine> = fetchLine): LineCache {
  const loaded = new Map<LineId, LoadedLine>([[initial.meta.id, initial]]);
  const pending = new Map<LineId, Promise<LoadedLine>>();
  return {
    initial,
    get: (id) => loaded.get(id),
    metas: () => [...loaded.values()].map((line) => line.meta),
    load(id) {
      const ready = loaded.get(id);
      if (ready) return Promise.resolve(ready);
      let fetching = pending.get(id);
      if (!fetching) {
        fetching = fetcher(id)
          .then((line) => {
            if (line.meta.id !== id) throw new Error(`The console answered with the ${line.meta.id} line instead of ${id}.`);
            loaded.set(id, line);
            return line;
          })
          .finally(() => pending.delete(id));
        pending.set(id, fetching);
      }
      return fetching;
    },
  };
}
