import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { WatchedOrgs } from "../../../src/organizations.js";
import { registerCommand } from "../../../src/slack/commands/slash-command.js";
import { EventStore } from "../../../src/store/events.js";
import { DAY, MINUTE } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

/** A responder's signed `/mcp-activity settings` through real Bolt, over these stored events. */
async function rig(events: Array<Partial<NormalizedEvent>>, orgs = new WatchedOrgs(["org-1"])) {
  const r = await slackRig();
  r.clock.advance(60 * MINUTE);
  r.slack.setMembers(CHANNEL, ["URESP"]);
  r.slack.addUser({ id: "URESP", name: "resp", email: "resp@example.com", tz: "UTC" });
  const b = await boltApp(r, (app, responders) =>
    registerCommand(app, r.commandDeps({ responders, orgs })),
  );
  const base = normalizedEvent();
  new EventStore(r.db).insertMany(
    events.map((e, i) => ({ ...base, id: `e-${i}`, ...e })),
    T0,
  );
  for (const orgId of orgs.ids) {
    const polled = { orgId, cursor: null, lastProcessedAt: T0, backfillFrom: null };
    r.stores.pollStates.save({ ...polled, backfillUntil: T0, backfillDone: true }, T0);
  }
  return async (text: string) => JSON.stringify(await (await b.command(text, "URESP")).body());
}

describe("/mcp-activity settings, the responders' figures", () => {
  it("names whose figures they are with several organizations, and takes org: for another", async () => {
    const names: Record<string, string> = { "org-1": "Acme Prod", "org-2": "Acme Sandbox" };
    const orgs = new WatchedOrgs(["org-1", "org-2"], (id) => names[id]);
    const tokenCalls = Array.from({ length: 5 }, (_, i) => ({
      orgId: "org-2",
      time: T0 - i * MINUTE,
      authKind: "api-token" as const,
      userId: "svc-1",
    }));
    const ask = await rig(tokenCalls, orgs);
    const first = await ask("settings");
    expect(first).toContain(
      "(figures of *Acme Prod*, the first of 2 organizations, from the last 7 days; `settings org:&lt;id&gt;` for another)",
    );
    expect(first).not.toContain("used API tokens");
    const second = await ask("settings api-tokens org:org-2");
    expect(second).toContain("(figures of *Acme Sandbox* from the last 7 days; `settings org:");
    expect(second).toContain("5 MCP calls in the last 7 days used API tokens");
    expect(second).toContain("/o/org-2/");
    expect(await ask("settings org:gamma")).toContain(
      'no watched organization is called \\"gamma\\"',
    );
    // A name in quotes, straight or as Slack curls them.
    for (const quoted of ['"Acme Sandbox"', "\u201cAcme Sandbox\u201d"])
      expect(await ask(`settings api-tokens org:${quoted}`)).toContain(
        "(figures of *Acme Sandbox* from the last 7 days",
      );
  });

  it("counts as newcomers neither the history fetched on first start nor API-token accounts", async () => {
    const ask = await rig([
      { time: T0 - 3 * DAY, backfilled: true },
      { time: T0 - 2 * DAY, backfilled: true },
      { time: T0 - DAY, userId: "svc-ci", authKind: "api-token", userName: "CI bot" },
    ]);
    expect(await ask("settings domains")).not.toContain("started using MCP");
    expect(await ask("settings oauth")).not.toContain("started using MCP");
  });

  it("counts admin calls as destructive in the figures and the posture alike, and says no zero writes", async () => {
    const ask = await rig([{ tool: "manageJiraProject", toolClass: "admin" }]);
    const text = await ask("settings");
    expect(text).toContain("Destructive or admin tools were used 1 time on 1 site in the last");
    expect(text).toContain("observed: 1 destructive or admin call");
    expect(text).not.toContain("Write tools were used 0 times");
  });

  it("counts calls whose event names no site as site unknown, and no '0 sites'", async () => {
    const write = { siteHost: null, tool: "createJiraIssue", toolClass: "write" as const };
    const ask = await rig([
      { ...write, time: T0 - MINUTE },
      { ...write, time: T0 - 2 * MINUTE },
    ]);
    const text = await ask("settings");
    expect(text).toContain("*sites* — declared: not declared · observed: site unknown 2");
    expect(text).toContain("*Why now:* Write tools were used 2 times in the last 7 days.");
    expect(text).not.toContain("0 sites");
  });
});
