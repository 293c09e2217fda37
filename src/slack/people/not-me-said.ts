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
  /** How many of the calls the person was shown retention deleted since, and none holds. */
  readonly deleted: number;
}

/**
 * What earlier "not me"s cover of one about the accounts' period [since, until), whether said in
 * the App Home (a day) or the weekly check (a week): each holds only calls of its own accounts
 * within its own period (HeldCalls). A week's Not me after a day's is about the week's other calls;
 * a day's after a week's, about the day's calls outside the week; one about two accounts after
 * one about either, about the other's. Of the calls the person was shown (`shown`, the weekly
 * check's count and the newest call stored then), those retention deleted since are held by an
 * earlier one whose period holds the whole period, about the accounts (which of them it counted
 * cannot be told), else by none. They
 * are looked for under each of the person's accounts (`own`, by default `accounts`): an alert is
 * grouped under one of those it covers. One read of the period's calls (heldCounts), and one of
 * those stored when the weekly check was made.
 */
export function notMeCover(
  home: HomeStore,
  orgId: string,
  period: {
    accounts: readonly string[];
    since: number;
    until: number;
    shown?: { calls: number; storedThrough: number | null };
  },
  own: readonly string[] = period.accounts,
): NotMeCover {
  const { accounts, since, until } = period;
  const earlier = home
    .notMeSaid(orgId, own, since, until)
    .filter((s) => s.accounts.some((a) => accounts.includes(a)));
  const counts = home.heldCounts(orgId, since, until, accounts, earlier);
  const { shown } = period;
  // Of the calls stored now, only those stored when the person was shown the figures count: those
  // stored since (a poller catching up) were never shown. All of them for a check that kept no seq.
  const stored =
    shown?.storedThrough == null
      ? counts.reduce((n, c) => n + c.calls, 0)
      : home.figures(orgId, since, until, accounts, undefined, shown.storedThrough).calls;
  const gone = Math.max(0, (shown?.calls ?? 0) - stored);
  const whole = gone > 0 ? earlier.filter((s) => s.since <= since && until <= s.until) : [];
  const goneUnheld =
    gone > 0 ? accounts.filter((a) => !whole.some((s) => s.accounts.includes(a))) : [];
  const said = earlier.filter(
    (s, i) => whole.includes(s) || counts.some((c) => (c.heldBy[i] ?? 0) > 0),
  );
  const uncovered = accounts.filter(
    (a) => goneUnheld.includes(a) || counts.some((c) => c.account === a && c.unheld > 0),
  );
  const calling = (a: string) => gone > 0 || counts.some((c) => c.account === a);
  const covered = new Set(accounts.filter((a) => calling(a) && !uncovered.includes(a)));
  return { said, held: said, covered, uncovered, deleted: goneUnheld.length > 0 ? gone : 0 };
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
