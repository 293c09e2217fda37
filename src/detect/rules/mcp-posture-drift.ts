import { contradictions, describeContradiction } from "../posture.js";
import type { Rule } from "../types.js";
import { who } from "../types.js";
import { noSettings } from "./settings.js";

export const mcpPostureDrift: Rule<Record<string, never>> = {
  id: "mcp-posture-drift",
  defaultSeverity: "high",
  defaultEnabled: true,
  explanation:
    "An MCP call that the posture declared in the rules file rules out: a setting changed without Atlassian's log saying so, or the declaration was wrong.",
  needs: [],
  // The first event of each contradiction alerts; the same contradiction again is in the digest.
  defaultMode: { kind: "once", days: null },
  subjectName: "contradiction of the posture",
  settings: noSettings,
  evaluate(event, _facts, _settings, { posture }) {
    const found = contradictions(event, posture);
    const [first] = found;
    if (!first) return null;
    return {
      title: `${describeContradiction(first)} (${who(event)})`,
      detail: {
        contradiction: first.key,
        observed: first.observed,
        declared: first.declared,
        setting: first.control.name,
        path: first.control.path,
        ...(found.length > 1
          ? {
              alsoContradicts: found
                .slice(1)
                .map((c) => c.key)
                .join(", "),
            }
          : {}),
        tool: event.tool,
      },
      subject: found.map((c) => c.key).join("+"),
    };
  },
};
