// Time for the deployment engine: typical AWS durations multiplied by a time scale. Waits are
// expressed as deadlines that depend on the scale, so changing it re-times work in flight, and
// all waits end at once when the sandbox closes.
interface Sleeper {
  deadline: () => number;
  resolve: () => void;
  timer?: NodeJS.Timeout | NodeJS.Immediate;
}

export class Clock {
  private readonly sleepers = new Set<Sleeper>();
  private closed = false;
  private markClosed!: () => void;
  /** Settles when the sandbox closes, so waits on other things (a nested stack) end with it. */
  readonly whenClosed = new Promise<void>((resolve) => {
    this.markClosed = resolve;
  });

  constructor(private timeScale: number) {}

  get scale() {
    return this.timeScale;
  }

  /** Re-times every wait in progress to the new scale. */
  set scale(value: number) {
    this.timeScale = value;
    for (const sleeper of this.sleepers) this.arm(sleeper);
  }

  now(): number {
    return Date.now();
  }

  /** Milliseconds a typical `seconds`-long AWS operation takes in the sandbox. */
  duration(seconds: number): number {
    return seconds * 1000 * this.timeScale;
  }

  /** The moment a `seconds`-long operation that began at `startedAt` ends, at the current scale. */
  endOf(startedAt: number, seconds: number): number {
    return startedAt + this.duration(seconds);
  }

  /** Resolves once `deadline()` has passed (it is re-read when the scale changes), or on close. */
  until(deadline: () => number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = { deadline, resolve };
      this.sleepers.add(sleeper);
      this.arm(sleeper);
    });
  }

  private arm(sleeper: Sleeper) {
    this.disarm(sleeper);
    const delay = sleeper.deadline() - Date.now();
    const wake = () => {
      if (sleeper.deadline() > Date.now()) return this.arm(sleeper);
      this.sleepers.delete(sleeper);
      sleeper.resolve();
    };
    // setImmediate keeps the event loop fair when the time scale is 0.
    sleeper.timer = delay <= 0 ? setImmediate(wake) : setTimeout(wake, Math.min(delay, 2 ** 31 - 1));
  }

  private disarm(sleeper: Sleeper) {
    if (!sleeper.timer) return;
    clearTimeout(sleeper.timer as NodeJS.Timeout);
    clearImmediate(sleeper.timer as NodeJS.Immediate);
  }

  close() {
    this.closed = true;
    this.markClosed();
    for (const sleeper of this.sleepers) {
      this.disarm(sleeper);
      sleeper.resolve();
    }
    this.sleepers.clear();
  }

  get isClosed() {
    return this.closed;
  }
}
