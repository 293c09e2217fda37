import { describe, expect, it } from "vitest";
import { settingsText } from "../../src/slack/blocks/settings.js";
import { NOW } from "../ingest/setup.js";
import { weeksThenLive } from "./weeks.js";

describe("declared posture, through the simulator", () => {
  it("alerts on the first event of each contradiction, once, and keeps the rest for the digest", async () => {
    const { r, alerts } = await weeksThenLive(
      (sites) => `posture:\n  apiTokenAuth: off\n  sites: [${sites.join(", ")}]`,
    );
    const drift = r.sim.org.incidents().find((i) => i.kind === "posture-drift");
    expect(drift?.at).toBeGreaterThan(NOW);
    const posted = alerts.filter((a) => a.ruleId === "mcp-posture-drift" && a.notify);
    const bySubject = new Map(posted.map((a) => [a.detail.contradiction, a]));
    expect(posted).toHaveLength(bySubject.size);
    expect([...bySubject.keys()].sort()).toEqual([
      "apiTokenAuth",
      "sites.acme-legal.atlassian.net",
    ]);
    expect(bySubject.get("sites.acme-legal.atlassian.net")).toMatchObject({
      severity: "high",
      userId: drift?.actorId,
      eventCount: 1,
    });
    expect(bySubject.get("apiTokenAuth")?.title).toMatch(
      /^observed an MCP call authenticated with an API token although your posture says API-token authentication is off: check .+ at Rovo → Rovo MCP server → Authentication/,
    );
    const token = bySubject.get("apiTokenAuth");
    expect(token && settingsText(token)).toContain(
      "The setting your posture says otherwise about: *Rovo MCP server: API-token authentication*, at _Rovo → Rovo MCP server → Authentication_.",
    );
    // The service accounts' hourly jobs went on: stored, counted, not posted again.
    const quiet = alerts.filter((a) => a.ruleId === "mcp-posture-drift" && !a.notify);
    expect(quiet.reduce((n, a) => n + a.eventCount, 0)).toBeGreaterThan(10);
    expect(quiet.every((a) => a.suppressedBy?.startsWith("already alerted"))).toBe(true);
  }, 90_000);
});
