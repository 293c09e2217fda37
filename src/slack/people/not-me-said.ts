import type { HomeStore, NotMeSaid } from "../../store/home.js";

/**
 * Whether a "not me" for a period is said already: its alert is still open, or it covered every
 * call of the period. Once a responder handled it, new calls the same day may be denied again
 * (a mute added meanwhile must not keep them quiet).
 */
export function saidAlready(
  said: { open: boolean; lastEventSeq: number } | undefined,
  lastSeq: number,
): boolean {
  return said !== undefined && (said.open || lastSeq <= said.lastEventSeq);
}

/** What the "not me"s said before cover of a new one about some accounts' period. */
export interface NotMeCover {
  /** Those covering an account with calls in the period, the newest first. */
  readonly said: readonly NotMeSaid[];
  /** Every account they cover. */
  readonly covered: ReadonlySet<string>;
  /** The accounts with calls in the period that none covers: said already when there is none. */
  readonly uncovered: readonly string[];
}

/**
 * What earlier "not me"s cover of one about the accounts' period [since, until), whether said in
 * the App Home (a day) or the weekly check (a week). One counts when still open and its period
 * overlaps (the security team has it now), or when handled and it covered the calls so far: its
 * period starts no later (a week's Not me after a day's handled one tells of the other days), and
 * no call was stored since its last (`lastSeq`; today's period grows with the day). Each covers
 * only its own accounts: a week's Not me about one account leaves the calls of a person's other
 * accounts that day to be told. They are looked for under each of the person's accounts (`own`,
 * by default `accounts`): an alert is grouped under one of those it covers.
 */
export function notMeCover(
  home: HomeStore,
  orgId: string,
  period: { accounts: readonly string[]; since: number; until: number; lastSeq: number },
  own: readonly string[] = period.accounts,
): NotMeCover {
  const { accounts, since, until, lastSeq } = period;
  const counting = home
    .notMeSaid(orgId, own, since, until)
    .filter((s) => s.accounts.some((a) => accounts.includes(a)))
    .filter((s) => s.open || (s.since <= since && saidAlready(s, lastSeq)));
  const covered = new Set(counting.flatMap((s) => s.accounts));
  const withCalls = accounts.filter((a) => home.span(orgId, since, until, [a]) !== undefined);
  // None stored: retention deleted the period the weekly check showed; it is about the one asked.
  const calling = withCalls.length > 0 ? withCalls : accounts;
  return {
    said: counting.filter((s) => s.accounts.some((a) => calling.includes(a))),
    covered,
    uncovered: calling.filter((a) => !covered.has(a)),
  };
}

/** The "not me" that makes one about the accounts' period said already, if one does. */
export function saidBefore(
  home: HomeStore,
  orgId: string,
  period: { accounts: readonly string[]; since: number; until: number; lastSeq: number },
  own?: readonly string[],
): NotMeSaid | undefined {
  const cover = notMeCover(home, orgId, period, own);
  return cover.uncovered.length === 0 ? cover.said[0] : undefined;
}
