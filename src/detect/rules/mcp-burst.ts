import { z } from "zod";
import { MINUTE } from "../../time-units.js";
import { counted as countedWord } from "../../words.js";
import type { Hit, Rule } from "../types.js";
import { who } from "../types.js";
import { positiveInt } from "./settings.js";

const settings = z.strictObject({
  calls: positiveInt.default(50),
  windowMinutes: positiveInt.max(1440, { error: "expected at most 1440 minutes" }).default(10),
  distinctResources: positiveInt.default(100),
});

export type BurstSettings = z.infer<typeof settings>;

export const mcpBurst: Rule<BurstSettings> = {
  id: "mcp-burst",
  defaultSeverity: "high",
  defaultEnabled: true,
  explanation:
    "Many MCP calls by one person in a few minutes, or many different pages and issues read: the shape of a bulk export or a runaway agent.",
  needs: ["recent"],
  settings,
  evaluate(event, facts, s): Hit | null {
    const recent = facts.recent;
    if (!event.isMcp || !recent) return null;
    const windowMs = s.windowMinutes * MINUTE;
    const counted = (end: number | undefined) =>
      end === undefined ? {} : { counted: { from: end - windowMs, to: end } };
    if (recent.calls > s.calls) {
      return {
        ...counted(recent.callsEnd),
        title: `${recent.calls} MCP calls by ${who(event)} within ${countedWord(s.windowMinutes, "minute")}`,
        figure: recent.calls,
        detail: { calls: recent.calls, windowMinutes: s.windowMinutes, threshold: s.calls },
      };
    }
    if (recent.distinctReads > s.distinctResources) {
      return {
        ...counted(recent.readsEnd),
        title: `${recent.distinctReads} different resources read by ${who(event)} within ${countedWord(s.windowMinutes, "minute")}`,
        figure: recent.distinctReads,
        detail: {
          distinctReads: recent.distinctReads,
          windowMinutes: s.windowMinutes,
          threshold: s.distinctResources,
        },
      };
    }
    return null;
  },
};
