import type { Alert } from "../../domain/alert.js";
import type { StoredEvent } from "../../domain/event.js";
import { mrkdwn, slackDate } from "../escape.js";
import { countedAs, type SlackMessage, what } from "./alert.js";
import { fitLines } from "./limits.js";

/**
 * A thread reply when a posted alert's group grows: its count, and each event since the last;
 * first, when it became more severe than the thread last showed (`raised`), its severity and
 * title now, and who is called.
 */
export function growthReply(
  alert: Alert,
  joined?: JoinedEvents,
  raised?: { readonly mention: string },
): SlackMessage {
  const tools = alert.tools.length > 0 ? ` Tools: ${alert.tools.join(", ")}.` : "";
  const count = `Now ${alert.eventCount} ${countedAs(alert)}, the last at ${slackDate(alert.lastSeen)}.${mrkdwn(tools, 1500)}`;
  const head = raised
    ? `Now ${alert.severity.toUpperCase()}: ${mrkdwn(alert.title, 500)} ${raised.mention}\n${count}`
    : count;
  const lines = (joined?.events ?? []).map(
    (j) => `• ${slackDate(j.event.time, "{time}")} · ${mrkdwn(joinedLine(alert, j), 300)}`,
  );
  if (joined && joined.more > 0)
    lines.unshift(`…${joined.capped ? " more than" : ""} ${joined.more} earlier, then:`);
  const text = lines.length === 0 ? head : fitLines(`${head}\n${lines.join("\n")}`);
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/**
 * What a joined event was: its finding's title (the second admin, the new site), then the call;
 * an event linked before titles were kept, by its call or its action's display name.
 */
function joinedLine(alert: Alert, { event, title, actionName }: JoinedEvent): string {
  const call = event.tool ? what(alert, event) : undefined;
  if (title) return call ? `${title} · ${call}` : title;
  return call ?? what(alert, { ...event, action: actionName ?? event.action }) ?? event.action;
}

/** An event that joined an alert, with the title of the finding that joined it, if kept. */
export interface JoinedEvent {
  readonly event: StoredEvent;
  readonly title: string | null;
  /** The catalogue's display name of its action, if known. */
  readonly actionName: string | null;
}

/** The latest events that joined an alert since its last growth reply, and how many before them. */
export interface JoinedEvents {
  readonly events: readonly JoinedEvent[];
  readonly more: number;
  /** `more` is a lower bound: counting stopped there. */
  readonly capped?: boolean;
}
