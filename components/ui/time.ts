// Times as every page shows them: UTC, date and clock, to the second or to the minute.

export const utcTime = (date: Date, precision: 'second' | 'minute' = 'second') =>
  date.toISOString().slice(0, precision === 'second' ? 19 : 16).replace('T', ' ');
