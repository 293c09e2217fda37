/**
 * `/mcp-activity status` with many organizations: the unhealthy first, within a message's blocks
 * and characters as sent, saying how many it leaves out (named when all healthy).
 */
import { describe, expect, it } from "vitest";
import type { OrganizationStatus } from "../../src/domain/status.js";
import { LIMITS } from "../../src/slack/blocks/limits.js";
import { statusReply } from "../../src/slack/blocks/status.js";
import { verbatim } from "../../src/slack/blocks/verbatim.js";
import { registerCommand } from "../../src/slack/commands/slash-command.js";
import { T0 } from "../detect/fixtures.js";
import { boltApp } from "./bolt.js";
import { CHANNEL, slackRig } from "./setup.js";

const org = (i: number, healthy = true): OrganizationStatus => ({
  organization: `Org ${String(i).padStart(2, "0")}`,
  healthy,
  lastPoll: T0,
  lagSeconds: 60,
  lastEvent: T0,
  mcpActionKeys: ["mcp.tool.invoked"],
  pendingDeliveries: 0,
  quarantined: 0,
  backfilling: null,
  problems: healthy ? [] : ["the organization API key is refused (401)"],
});

const reply = (organizations: OrganizationStatus[]) =>
  statusReply({
    healthy: false,
    lastPoll: null,
    lagSeconds: null,
    lastEvent: null,
    mcpActionKeys: [],
    pendingDeliveries: 0,
    quarantined: 0,
    backfilling: null,
    problems: [],
    organizations,
  });

describe("/mcp-activity status with many organizations", () => {
  it("shows the unhealthy first, and names the healthy ones it has no room for", () => {
    const organizations = Array.from({ length: 55 }, (_, i) => org(i + 1, i !== 54));
    const { blocks } = reply(organizations);
    const text = JSON.stringify(blocks);
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(text.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(text).toContain("55 organizations watched");
    expect(JSON.stringify(blocks[1])).toContain("*Org 55:* *unhealthy*");
    expect(text).toContain(":warning: the organization API key is refused (401)");
    const shown = organizations.filter((o) => text.includes(`*${o.organization}:*`));
    const said = Number(text.match(/…and (\d+) more organizations, all healthy: /)?.[1]);
    expect(shown.length + said).toBe(55);
    const left = organizations.filter((o) => !shown.includes(o));
    expect(text).toContain(`all healthy: ${left.map((o) => o.organization).join(", ")}.`);
  });

  it("says how many unhealthy ones it leaves out, and where each is", () => {
    const { blocks } = reply(Array.from({ length: 80 }, (_, i) => org(i + 1, i % 2 === 0)));
    const text = JSON.stringify(blocks);
    expect(text.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    const shown = text.match(/\*Org \d+:\*/g)?.length ?? 0;
    const unhealthyShown = text.match(/\*Org \d+:\* \*unhealthy\*/g)?.length ?? 0;
    expect(text).toContain(
      `…and ${80 - shown} more organizations, ${40 - unhealthyShown} of them unhealthy: \`GET /healthz\` gives each one's health.`,
    );
  });
});

describe("/mcp-activity status with 90 healthy organizations, asked in Slack", () => {
  it("answers within the message's 12,000 characters as sent, verbatim text objects and all", async () => {
    const r = await slackRig();
    r.slack.setMembers(CHANNEL, ["URESP"]);
    r.slack.addUser({ id: "URESP", name: "resp", email: "resp@example.com", tz: "UTC" });
    const organizations = Array.from({ length: 90 }, (_, i) => ({
      ...org(i + 1),
      organization: `Example Subsidiary Org ${String(i + 1).padStart(3, "0")}`,
    }));
    const { organization: _, ...whole } = org(0);
    const status = () => ({ ...whole, organizations });
    const b = await boltApp(r, (app, responders) =>
      registerCommand(app, r.commandDeps({ responders, status })),
    );
    const sent = await b.command("status", "URESP");
    const body = (await sent.body()) as { blocks: unknown[] };
    const text = JSON.stringify(body.blocks);
    expect(text).toContain('"verbatim":true');
    expect(text).toContain("more organizations, all healthy");
    expect(body.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(text.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
  });
});

describe("/mcp-activity status with 150 healthy organizations whose names hold quotes", () => {
  it("stays within the message's 12,000 characters as sent, its closing line escaped and all", () => {
    const quoted = Array.from({ length: 150 }, (_, i) => ({
      ...org(i + 1),
      organization: `"Q${String(i + 1).padStart(3, "0")}"${'"'.repeat(40)}`,
    }));
    const { blocks } = reply(quoted);
    const sent = JSON.stringify(verbatim(blocks));
    expect(sent).toContain("more organizations, all healthy");
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(sent.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
  });
});
