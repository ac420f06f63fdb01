// One poller per run per process, shared by every stream of the run open here: it reads the run's
// newest event seq every CONSOLE_EVENT_POLL_MS and wakes the run's subscribers (the bus) when it
// moved, so events another replica stored reach this replica's viewers. However many viewers, the
// store sees one small query per run per poll; the streams read events only when there are some.
import 'server-only';
import { lastRunEventSeq } from '@/lib/store/run-events';
import { publish } from './bus';

interface Pulse {
  refs: number;
  timer: NodeJS.Timeout;
  lastSeq?: number;
  reading: boolean;
  failing: boolean;
}

const HELD = Symbol.for('lakerunner.console.run-pulses');
type Holder = typeof globalThis & { [HELD]?: Map<string, Pulse> };

function pulses(): Map<string, Pulse> {
  const holder = globalThis as Holder;
  holder[HELD] ??= new Map();
  return holder[HELD];
}

async function beat(runId: string, pulse: Pulse): Promise<void> {
  if (pulse.reading) return;
  pulse.reading = true;
  try {
    const seq = await lastRunEventSeq(runId);
    if (pulse.failing) console.warn(`Run ${runId}: its events are read again.`);
    pulse.failing = false;
    if (seq !== pulse.lastSeq) {
      pulse.lastSeq = seq;
      publish(runId);
    }
  } catch (error) {
    // The streams find out themselves on their next read (and end, to reconnect to a 503).
    if (!pulse.failing) console.error(`Run ${runId}: reading its newest event failed: ${error instanceof Error ? error.message : String(error)}`);
    pulse.failing = true;
  } finally {
    pulse.reading = false;
  }
}

/** Keeps the run's poller going until the returned function is called (as often as it was started). */
export function followRun(runId: string, pollMs: number): () => void {
  const all = pulses();
  let pulse = all.get(runId);
  if (!pulse) {
    const created: Pulse = { refs: 0, reading: false, failing: false, timer: setInterval(() => void beat(runId, created), pollMs) };
    created.timer.unref();
    all.set(runId, (pulse = created));
  }
  pulse.refs += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const current = all.get(runId);
    if (!current || (current.refs -= 1) > 0) return;
    clearInterval(current.timer);
    all.delete(runId);
  };
}

/** How many runs have a poller here (tests and the bench check for leaks). */
export const pulseCount = () => pulses().size;
