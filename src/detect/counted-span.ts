/** A stretch of time: after `from`, up to `to` (epoch ms). */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/**
 * What of `window` lies outside `linked` (a span whose calls are linked to the alert already),
 * and the span linked once those parts are: both, when they meet; else the window alone (what
 * lies between them no title counted). A burst's findings each count the minutes before them:
 * each new one adds only the calls since the last, so a burst of thousands of calls is linked
 * call by call, never window by window.
 */
export function spanToLink(
  linked: Span | undefined,
  window: Span,
): { parts: Span[]; linked: Span } {
  if (linked === undefined || window.from > linked.to || window.to < linked.from)
    return { parts: [window], linked: window };
  const parts: Span[] = [];
  if (window.from < linked.from) parts.push({ from: window.from, to: linked.from });
  if (window.to > linked.to) parts.push({ from: linked.to, to: window.to });
  return {
    parts,
    linked: { from: Math.min(window.from, linked.from), to: Math.max(window.to, linked.to) },
  };
}
