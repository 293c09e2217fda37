import type { ToolClass } from "../../domain/event.js";
import type { Rule } from "../types.js";
import { who } from "../types.js";
import { placeName, watchedBy } from "../watch.js";
import { noSettings } from "./settings.js";

/** What a call of each class did to the canary it touched. */
const VERB: Record<ToolClass, string> = {
  read: "read",
  search: "read",
  write: "changed",
  destructive: "deleted",
  admin: "changed",
};

export const mcpCanary: Rule<Record<string, never>> = {
  id: "mcp-canary",
  defaultSeverity: "high",
  defaultEnabled: true,
  explanation:
    "An AI tool touched a canary: a page or issue nobody has a reason to open, watched in the rules file. Someone, or an agent, is reading widely or looking for something.",
  needs: [],
  settings: noSettings,
  evaluate(event, _facts, _settings, { watch }) {
    const canary = watchedBy(event, watch).find((p) => p.canary);
    if (!canary) return null;
    const name = placeName(canary);
    return {
      title: `An AI tool ${VERB[event.toolClass ?? "read"]} canary ${name} as ${who(event)}`,
      // A canary read is high whatever the rule's configured severity: a decoy that fires below
      // minSeverity would fire unseen.
      severity: "high",
      detail: {
        watched: name,
        placeKind: canary.kind,
        placeKey: canary.key,
        tool: event.tool,
        resource: event.resource,
      },
    };
  },
};
