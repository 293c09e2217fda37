const BARS = "▁▂▃▄▅▆▇█";

/** One character per bucket: empty buckets as the lowest bar, the busiest as the highest. */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  if (max === 0) return BARS[0]?.repeat(counts.length) ?? "";
  return counts
    .map((n) => BARS[Math.min(BARS.length - 1, Math.ceil((n / max) * (BARS.length - 1)))] ?? "")
    .join("");
}
