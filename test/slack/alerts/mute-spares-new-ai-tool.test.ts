/**
 * A mute written for a person never quiets a finding about the organization: "Expected, mute 7
 * days" on Alice's first call on a new site leaves an AI tool new to the organization, which she
 * connects next, in the channel. Real Bolt in HTTP mode, a signed click, the fake Slack Web API,
 * a real SQLite file, the engine.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { event } from "../../detect/engine-rig.js";
import { RESPONDER } from "../people/ask-rig.js";
import { CHANNEL } from "../setup.js";
import { judgingRig } from "./judging-rig.js";

describe("'Expected, mute 7 days' on \"Alice's first MCP call on <site>\"", () => {
  it("does not hide Alice connecting an AI tool nobody in the organization used before", async () => {
    const { a, judge } = await judgingRig();
    // History: Alice used Claude on acme.atlassian.net.
    await judge(event({ time: a.clock.now() - 24 * HOUR }), true);
    // Live: Alice's first call on a second site: mcp-first-use, posted.
    await judge(event({ siteHost: "acme-eng.atlassian.net", time: a.clock.now() }));
    const [site] = a.stores.alerts.list("org-1").filter((x) => x.ruleId === "mcp-first-use");
    if (!site) throw new Error("no first-use alert");
    expect(site.title).toBe("Alice Example's first MCP call on acme-eng.atlassian.net");
    const message = a.slack
      .messages(CHANNEL)
      .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${site.id}"`));
    const where = { channel: CHANNEL, ts: message?.ts ?? "" };
    await a.click("alert_expected_mute", RESPONDER, String(site.id), where);
    await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 0, 5000, "the update");
    await a.settled();
    // Two hours later: her first call on a third site is muted; then she connects an AI tool
    // never seen in the organization.
    a.clock.advance(2 * HOUR);
    await judge(event({ siteHost: "acme-ops.atlassian.net", time: a.clock.now() }));
    await judge(event({ clientApp: "Unknown Agent 0.1", time: a.clock.now() }));
    const later = a.stores.alerts
      .list("org-1")
      .filter((x) => x.ruleId === "mcp-first-use" && x.id !== site.id);
    expect(later.map((x) => [x.title, x.notify, x.suppressedBy])).toEqual([
      [
        "Alice Example's first MCP call on acme-ops.atlassian.net",
        false,
        expect.stringMatching(/^marked expected on alert \d+, muted for 7 days/),
      ],
      [
        "Alice Example's first MCP call with Unknown Agent 0.1, an AI tool new to the organization",
        true,
        null,
      ],
    ]);
    const posted = a.slack.messages(CHANNEL).map((m) => m.text);
    expect(posted.filter((t) => t.includes("Unknown Agent 0.1"))).toHaveLength(1);
  }, 60_000);
});
