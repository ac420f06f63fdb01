// Small helpers for the sentences the console writes. Isomorphic.

/** "a", "a and b", "a, b and c". */
export const andList = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
