// Time for the deployment engine: typical AWS durations multiplied by a time scale, and
// sleeps that all end at once when the sandbox closes.
export class Clock {
  private readonly timers = new Set<{ timer: NodeJS.Timeout | NodeJS.Immediate; resolve: () => void }>();
  private closed = false;

  constructor(public scale: number) {}

  now(): number {
    return Date.now();
  }

  /** Milliseconds a typical `seconds`-long AWS operation takes in the sandbox. */
  duration(seconds: number): number {
    return seconds * 1000 * this.scale;
  }

  /** Resolves at `at` (epoch ms), or immediately on close. */
  until(at: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const delay = at - Date.now();
      const entry = { timer: undefined as unknown as NodeJS.Timeout | NodeJS.Immediate, resolve };
      const done = () => {
        this.timers.delete(entry);
        resolve();
      };
      // setImmediate keeps the event loop fair when the time scale is 0.
      entry.timer = delay <= 0 ? setImmediate(done) : setTimeout(done, delay);
      this.timers.add(entry);
    });
  }

  close() {
    this.closed = true;
    for (const entry of this.timers) {
      clearTimeout(entry.timer as NodeJS.Timeout);
      clearImmediate(entry.timer as NodeJS.Immediate);
      entry.resolve();
    }
    this.timers.clear();
  }

  get isClosed() {
    return this.closed;
  }
}
