import type { HeldCalls } from "../../store/held-calls.js";
import type { HomeStore, NotMeSaid } from "../../store/home.js";

/** What the "not me"s said before cover of a new one about some accounts' period. */
export interface NotMeCover {
  /** Those holding calls of the period, the newest first. */
  readonly said: readonly NotMeSaid[];
  /** The calls they hold: a new one is about the others. */
  readonly held: readonly HeldCalls[];
  /** The accounts whose calls of the period they all hold. */
  readonly covered: ReadonlySet<string>;
  /** The accounts with calls in the period that they do not all hold: said already when none. */
  readonly uncovered: readonly string[];
}

/**
 * What earlier "not me"s cover of one about the accounts' period [since, until), whether said in
 * the App Home (a day) or the weekly check (a week): each holds only calls of its own accounts
 * within its own period (HeldCalls). A week's Not me after a day's is about the week's other calls;
 * a day's after a week's, about the day's calls outside the week; one about two accounts after
 * one about either, about the other's. With none of the period's calls stored (retention deleted
 * the period the weekly check showed), one covers the accounts it names when its period holds
 * the whole period. They are looked for under each of the person's accounts (`own`, by default
 * `accounts`): an alert is grouped under one of those it covers.
 */
export function notMeCover(
  home: HomeStore,
  orgId: string,
  period: { accounts: readonly string[]; since: number; until: number },
  own: readonly string[] = period.accounts,
): NotMeCover {
  const { accounts, since, until } = period;
  const earlier = home
    .notMeSaid(orgId, own, since, until)
    .filter((s) => s.accounts.some((a) => accounts.includes(a)));
  const counts = home.heldCounts(orgId, since, until, accounts, earlier);
  if (counts.length === 0) {
    const said = earlier.filter((s) => s.since <= since && until <= s.until);
    const covered = new Set(said.flatMap((s) => s.accounts));
    return { said, held: [], covered, uncovered: accounts.filter((a) => !covered.has(a)) };
  }
  const said = earlier.filter((_, i) => counts.some((c) => (c.heldBy[i] ?? 0) > 0));
  const uncovered = counts.filter((c) => c.unheld > 0).map((c) => c.account);
  const covered = new Set(counts.filter((c) => c.unheld === 0).map((c) => c.account));
  return { said, held: said, covered, uncovered };
}

/** The "not me" that makes one about the accounts' period said already, if one does. */
export function saidBefore(
  home: HomeStore,
  orgId: string,
  period: { accounts: readonly string[]; since: number; until: number },
  own?: readonly string[],
): NotMeSaid | undefined {
  const cover = notMeCover(home, orgId, period, own);
  return cover.uncovered.length === 0 ? cover.said[0] : undefined;
}
