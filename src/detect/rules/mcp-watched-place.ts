import type { Rule } from "../types.js";
import { who } from "../types.js";
import { placeName, watchedBy } from "../watch.js";
import { noSettings } from "./settings.js";

export const mcpWatchedPlace: Rule<Record<string, never>> = {
  id: "mcp-watched-place",
  defaultSeverity: "medium",
  defaultEnabled: true,
  explanation:
    "An AI tool touched a place the rules file watches (a sensitive space, project, page, issue or site): a data security policy can keep the MCP app out of it.",
  needs: [],
  // A person working in a watched space makes many calls: one alert a day each, calls in its thread.
  defaultMode: { kind: "group", windowHours: 24 },
  settings: noSettings,
  evaluate(event, _facts, _settings, { watch }) {
    const place = watchedBy(event, watch).find((p) => !p.canary);
    if (!place) return null;
    const name = placeName(place);
    return {
      title: `${who(event)}'s AI tool touched watched ${name}`,
      detail: {
        watched: name,
        placeKind: place.kind,
        placeKey: place.key,
        tool: event.tool,
        resource: event.resource,
      },
      ...(place.severity ? { severity: place.severity } : {}),
    };
  },
};
