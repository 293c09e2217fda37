/**
 * What someone who is not a responder is shown of their own calls starts no earlier than the
 * retention cut (the time before which a pass deleted the organization's events). Retention keeps
 * the calls an alert holds, whatever their age (src/store/retention.ts): before the cut they are
 * all that is left of a person's calls, and would tell the person which of theirs were flagged
 * before a responder asks them. Responders see everything stored.
 */

/** The part of [since, until) from `cut` on; empty (since = until) when it ends before the cut. */
export function ownWindow(
  since: number,
  until: number,
  cut: number | undefined,
): { since: number; until: number } {
  return cut === undefined
    ? { since, until }
    : { since: Math.min(until, Math.max(since, cut)), until };
}

/** Of the periods a person is shown, the parts from `cut` on: those wholly before it are left out. */
export function ownPeriods<P extends { readonly start: number; readonly end: number }>(
  periods: readonly P[],
  cut: number | undefined,
): P[] {
  return periods.flatMap((p) => {
    const { since } = ownWindow(p.start, p.end, cut);
    return since < p.end ? [{ ...p, start: since }] : [];
  });
}
