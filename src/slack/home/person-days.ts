import type { ActivityDay } from "../../domain/home.js";
import { ownPeriods } from "../../retention/own-calls.js";
import type { HomeStore } from "../../store/home.js";
import type { Repositories } from "../../store/repositories.js";
import { saidBefore } from "../people/not-me-said.js";
import { type DayWindow, lastDays } from "./home-days.js";
import { deletedSince } from "./organization-home.js";

/** Why a person's Home shows nothing: the reason `/mcp-activity user:me` gives, in its words. */
export const NO_OWN_EMAIL =
  "Your Slack account gives no e-mail address I can take as yours (it has none, it is unconfirmed, or the account is another company's), so your Atlassian account cannot be found.";

/** Why a person's Home shows nothing: Slack did not answer users.info (a rate limit, an outage). */
export const PROFILE_UNREAD =
  "Your activity cannot be shown: your Slack profile could not be looked up right now, so who you are in Atlassian is not known. Try again in a minute.";

/** The days a person's Home shows, and the retention cut they start at when one falls within. */
export interface ShownDays {
  readonly windows: DayWindow[];
  readonly deletedBefore: number | undefined;
}

/**
 * The last 7 days in `zone` as of `now`, newest first, from the latest cut of any organization
 * within them on (see ownPeriods): the note names that cut, and nothing before it is shown.
 */
export function shownDays(
  prunedBefore: Repositories["prunedBefore"],
  orgIds: readonly string[],
  now: number,
  zone: string,
): ShownDays {
  const days = lastDays(now, zone, 7);
  const since = Math.min(...days.map((w) => w.start));
  const deletedBefore = deletedSince(prunedBefore, orgIds, since);
  return { windows: ownPeriods(days, deletedBefore), deletedBefore };
}

/** One organization's figures of the days for the person's accounts there. */
export function personDays(
  home: HomeStore,
  orgId: string,
  accounts: readonly string[],
  windows: readonly DayWindow[],
): ActivityDay[] {
  if (accounts.length === 0) return [];
  return windows.map((w): ActivityDay => {
    const f = home.figures(orgId, w.start, w.end, accounts);
    const busy = f.calls > 0;
    return {
      orgId,
      day: w.day,
      start: w.start,
      end: w.end,
      calls: f.calls,
      writes: f.writes,
      deletes: f.deletes,
      tools: busy ? home.topTools(orgId, w.start, w.end, 3, accounts) : [],
      places: busy ? home.places(orgId, w.start, w.end, accounts, 5) : [],
      denied: busy && deniedAlready(home, orgId, w, accounts),
    };
  });
}

/** Whether the person said "not me" about this day already (here or in the weekly check). */
function deniedAlready(
  home: HomeStore,
  orgId: string,
  w: DayWindow,
  accounts: readonly string[],
): boolean {
  return saidBefore(home, orgId, { accounts, since: w.start, until: w.end }) !== undefined;
}
