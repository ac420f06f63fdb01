// Times as every page shows them: UTC, date and clock, to the second or to the minute; and
// durations, short and exact enough for both AWS (minutes) and the sandbox (fractions of a second).

export const utcTime = (date: Date, precision: 'second' | 'minute' = 'second') =>
  date.toISOString().slice(0, precision === 'second' ? 19 : 16).replace('T', ' ');

export function duration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) return `${Math.round(seconds * 10) / 10} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}
