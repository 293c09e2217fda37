/** The words of a reminder of an open alert: pure, from the alert, its trail and its post. */
import type { Alert, AlertStatus } from "../../domain/alert.js";
import type { TrailEntry } from "../../store/trail.js";
import { DONE } from "../../triage/decide.js";
import { mrkdwn, slackDate } from "../escape.js";

/** Since when an alert has been open, and, when it was reopened, what it was before and by whom. */
export interface OpenSince {
  readonly at: number;
  readonly before?: { readonly status: AlertStatus; readonly by: string | undefined };
}

/**
 * Its post, unless its trail's last status change reopened it: from then. Each change starts from
 * the status the one before set, so that one says who had handled it.
 */
export function openSince(trail: readonly TrailEntry[], postedAt: number): OpenSince {
  const changes = trail.filter((t) => t.from !== t.to);
  const last = changes.at(-1);
  if (last?.to !== "open") return { at: postedAt };
  const set = changes.at(-2);
  return {
    at: last.at,
    before: { status: last.from, by: set?.to === last.from ? set.actor : undefined },
  };
}

export interface Reminder {
  readonly mention: string;
  readonly alert: Pick<Alert, "id" | "severity" | "title">;
  /** The organization's name, when several are watched. */
  readonly organization: string | undefined;
  readonly open: OpenSince;
  /** The person asked, who has not answered yet. */
  readonly unanswered: string | undefined;
  readonly isLast: boolean;
}

/**
 * Names the alert, as its notification is all a phone shows (a reply's does not show its alert).
 * A reopened one is not said to be unacknowledged since its post: someone had handled it.
 */
export function reminderText(r: Reminder): string {
  const where = r.organization === undefined ? "" : ` · ${mrkdwn(r.organization, 100)}`;
  const what = `[${r.alert.severity.toUpperCase()}] alert ${r.alert.id}: ${mrkdwn(r.alert.title, 300)}${where}`;
  const since = slackDate(r.open.at);
  const before = r.open.before;
  const state = before
    ? `is open again since ${since} (${DONE[before.status]}${before.by ? ` by <@${before.by}>` : ""} before).`
    : `is still open: nobody has acknowledged it since ${since}.`;
  const waiting = r.unanswered
    ? ` <@${r.unanswered}> has not answered the direct message either.`
    : "";
  return `⏰ ${r.mention} ${what} ${state}${waiting}${r.isLast ? " This is the last reminder." : ""}`;
}
