import { z } from "zod";
import { historyTime } from "../../domain/plausible-time.js";
import { DAY } from "../../time-units.js";
import { counted } from "../../words.js";
import type { Rule } from "../types.js";
import { who } from "../types.js";
import { positiveInt } from "./settings.js";

const settings = z.strictObject({
  /** Days of a person's MCP history before a new scope alerts (newcomers are mcp-first-use's). */
  historyDays: positiveInt.max(365, { error: "expected at most 365 days" }).default(14),
});

export type NewScopeSettings = z.infer<typeof settings>;

/** "space:acme.atlassian.net/HR" → "space HR on acme.atlassian.net". */
export function scopeName(scope: string): string {
  const [kind = "", rest = ""] = scope.split(/:(.*)/s);
  const slash = rest.indexOf("/");
  if ((kind === "space" || kind === "project") && slash >= 0) {
    const site = rest.slice(0, slash);
    return `${kind} ${rest.slice(slash + 1)}${site ? ` on ${site}` : ""}`;
  }
  return `${kind} ${rest}`;
}

export const mcpNewScope: Rule<NewScopeSettings> = {
  id: "mcp-new-scope",
  defaultSeverity: "medium",
  defaultEnabled: true,
  explanation:
    "A person with weeks of MCP history made their first MCP call into a site, product, space or project: an AI tool reaching somewhere new for them is worth a look.",
  needs: ["scopes"],
  // A person exploring makes several first calls in a day: one message, each in its thread.
  defaultMode: { kind: "group", windowHours: 24 },
  settings,
  evaluate(event, facts, s) {
    const scopes = facts.scopes;
    if (!event.isMcp || !event.userId || !scopes || scopes.opened.length === 0) return null;
    if (scopes.firstCall === null) return null;
    // Measured as the history is (historyTime): a call dated years ahead has no years of history.
    const history = historyTime(event, event.ingestedAt) - scopes.firstCall;
    const days = Math.floor(history / DAY);
    if (history < s.historyDays * DAY) return null;
    const names = scopes.opened.map(scopeName);
    return {
      title: `${who(event)}'s first MCP call into ${names.join(", ")}, after ${counted(days, "day")} of MCP use`,
      detail: {
        scopes: names.join(", "),
        historyDays: days,
        tool: event.tool,
        resource: event.resource,
      },
    };
  },
};
