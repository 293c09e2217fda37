/**
 * `/mcp-activity` while who the responders are cannot be told: Slack failed the alert channel's
 * look-up, or a 429 another caller met pauses users.info. Failing closed, a responder is told to
 * try again, not that they are no responder. Real Bolt on 127.0.0.1, signed commands.
 */
import { describe, expect, it } from "vitest";
import { commandRig, healthyStatus } from "./command-rig.js";

const UNKNOWN = "The responders cannot be looked up right now; try again in a minute.";
const UNCHECKED = "I could not check who you are right now; try again in a minute.";

/** A responder (member of the private alert channel), and one call, stored. */
async function rig() {
  const r = await commandRig([{}], { status: healthyStatus });
  /** The responder's signed command; its reply as JSON text. */
  const ask = async (text: string) => JSON.stringify(await (await r.command(text, "URESP")).body());
  return { ...r, ask };
}

describe("a responder's question while the alert channel cannot be looked up", () => {
  it("is told to try again, not that they are no responder", async () => {
    const r = await rig();
    r.slack.failNext("conversations.info", { status: 503 });
    const everyone = await r.ask("since:1d");
    expect(everyone).toContain(UNKNOWN);
    expect(everyone).not.toContain("ask the members of");
    const byRule = await r.ask("rule:mcp-destructive since:1d");
    expect(byRule).toContain(UNKNOWN);
    expect(byRule).not.toContain("are for responders");
    expect(await r.ask("status")).toContain(UNKNOWN);
  });

  it("is shown the settings alone, failing closed, and told why", async () => {
    const r = await rig();
    r.slack.failNext("conversations.info", { status: 503 });
    const settings = await r.ask("settings");
    expect(settings).toContain(UNKNOWN);
    expect(settings).toContain("Rovo → Rovo MCP server → Permissions");
    expect(settings).not.toContain("org-1");
  });
});

describe("a responder's question while users.info is paused by a 429", () => {
  it("is told to try again, not that they are no responder", async () => {
    const r = await rig();
    // Another caller met a 429 on users.info: the workspace pauses the method for everyone.
    r.slack.failNext("users.info", { status: 429, retryAfter: 30 });
    await r.client.users.info({ user: "UOTHER" }).catch(() => undefined);
    expect(r.pauses.holding("users.info")).toBeDefined();
    const everyone = await r.ask("since:1d");
    expect(everyone).toContain(UNCHECKED);
    expect(everyone).not.toContain("ask the members of");
    expect(await r.ask("rule:mcp-destructive since:1d")).toContain(UNCHECKED);
  });
});
