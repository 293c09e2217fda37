import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

/** An unlisted `api_token_generated` (not in /event-actions) by Mallory, the label quoted. */
const tokenCreated = (p: Awaited<ReturnType<typeof pipeline>>, label: string) => {
  const ev = p.call({
    action: "api_token_generated",
    message: `Mallory created API token “${label}”`,
  });
  (ev.attributes.actor as Record<string, unknown>).app = undefined;
  (ev.attributes.actor as Record<string, unknown>).auth = undefined;
  return ev;
};

describe("an API token created with a label that mentions MCP", () => {
  for (const label of ["jira-mcp", "claude-agent"]) {
    it(`(“${label}”) is no MCP call and raises the high api-token-created alert`, async () => {
      const p = await pipeline();
      const ev = tokenCreated(p, label);
      await p.feed([ev]);
      const row = p.event(ev.id);
      const raised = p
        .alerts()
        .filter((a) => a.lastEventSeq === row.seq)
        .map((a) => [a.ruleId, a.severity, a.title]);
      expect({ isMcp: row.is_mcp, raised }).toEqual({
        isMcp: 0,
        raised: [
          [
            "api-token-created",
            "high",
            `Mallory created an API token “${label}”, named for an AI tool`,
          ],
        ],
      });
    }, 60_000);
  }
});
