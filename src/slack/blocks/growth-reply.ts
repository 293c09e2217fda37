import type { Alert } from "../../domain/alert.js";
import type { StoredEvent } from "../../domain/event.js";
import { mrkdwn, slackDate } from "../escape.js";
import { type SlackMessage, what } from "./alert.js";
import { fitLines } from "./limits.js";

/** A thread reply when a posted alert's group grows: its count, and each event since the last. */
export function growthReply(alert: Alert, joined?: JoinedEvents): SlackMessage {
  const tools = alert.tools.length > 0 ? ` Tools: ${alert.tools.join(", ")}.` : "";
  const head = `Now ${alert.eventCount} events, the last at ${slackDate(alert.lastSeen)}.${mrkdwn(tools, 1500)}`;
  const lines = (joined?.events ?? []).map(
    (e) => `• ${slackDate(e.time, "{time}")} · ${mrkdwn(what(alert, e) ?? e.action, 300)}`,
  );
  if (joined && joined.more > 0)
    lines.unshift(`…${joined.capped ? " more than" : ""} ${joined.more} earlier, then:`);
  const text = lines.length === 0 ? head : fitLines(`${head}\n${lines.join("\n")}`);
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** The latest events that joined an alert since its last growth reply, and how many before them. */
export interface JoinedEvents {
  readonly events: readonly StoredEvent[];
  readonly more: number;
  /** `more` is a lower bound: counting stopped there. */
  readonly capped?: boolean;
}
