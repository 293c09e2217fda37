/**
 * A person's calls and different resources read in the busiest window: each with the time its
 * window ends (the window's calls are those after end − window, up to end).
 */
export interface Busiest {
  readonly calls: number;
  readonly distinctReads: number;
  readonly callsEnd: number;
  readonly readsEnd: number;
}

/** One call: when, and the resource it read (an interned ref), if it read one. */
export interface TimedCall {
  readonly time: number;
  readonly read: number | null;
}

/**
 * The busiest `windowMs` ending at a call at or after `from`, over `rows` in time order: the
 * most calls, and the most different resources read (each with the end of its window).
 */
export function busiestWindow(rows: readonly TimedCall[], from: number, windowMs: number): Busiest {
  const reads = new Map<number, number>();
  const best = { calls: 0, distinctReads: 0, callsEnd: from, readsEnd: from };
  let start = 0;
  for (let end = 0; end < rows.length; end++) {
    const { time, read } = rows[end] as TimedCall;
    if (read !== null) reads.set(read, (reads.get(read) ?? 0) + 1);
    for (; (rows[start]?.time ?? time) <= time - windowMs; start++) {
      const gone = rows[start]?.read ?? null;
      if (gone === null) continue;
      const left = (reads.get(gone) ?? 1) - 1;
      if (left === 0) reads.delete(gone);
      else reads.set(gone, left);
    }
    if (time < from) continue;
    if (end - start + 1 > best.calls)
      Object.assign(best, { calls: end - start + 1, callsEnd: time });
    if (reads.size > best.distinctReads)
      Object.assign(best, { distinctReads: reads.size, readsEnd: time });
  }
  return best;
}
