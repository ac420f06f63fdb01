// untilTaskEnds: how an approval or a cancel waits for a run's task in this process to let go.
import { describe, expect, it } from 'vitest';
import { isTaskRunning, startTask, stopTask, untilTaskEnds } from './runtime';

describe('untilTaskEnds', () => {
  it('resolves at once when the run has no task here', async () => {
    await untilTaskEnds('no-such-run', 60_000);
    expect(isTaskRunning('no-such-run')).toBe(false);
  });

  it('resolves when the task ends', async () => {
    void startTask('ending-run', () => new Promise((resolve) => setTimeout(resolve, 150)));
    await untilTaskEnds('ending-run', 60_000);
    expect(isTaskRunning('ending-run')).toBe(false);
  });

  it('gives up after its time when the task goes on, leaving the task alone', async () => {
    void startTask('long-run', (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve())));
    await untilTaskEnds('long-run', 100);
    expect(isTaskRunning('long-run')).toBe(true);
    await stopTask('long-run', 'test over');
    expect(isTaskRunning('long-run')).toBe(false);
  });
});
