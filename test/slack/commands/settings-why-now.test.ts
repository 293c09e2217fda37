/**
 * Why each control matters now, in `/mcp-activity settings`: read from the stored events (the
 * history fetched on first start too, whatever rules are on), through real Bolt and SQLite.
 */
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../../src/domain/event.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { mcpEvent, T0 } from "../../detect/fixtures.js";
import { commandRig } from "./command-rig.js";

/** An admin's act (no MCP call) with its message in the raw JSON, as the audit log has it. */
const adminAct = (id: string, time: number, over: Partial<StoredEvent>) => {
  const {
    seq: _s,
    ingestedAt: _i,
    ...event
  } = mcpEvent({
    id,
    time,
    isMcp: false,
    mcpBasis: null,
    tool: null,
    toolClass: null,
    product: null,
    resource: null,
    clientApp: null,
    userName: "Bob Admin",
    actorName: "Bob Admin",
    ...over,
  });
  return event;
};

const ask = async (r: Awaited<ReturnType<typeof commandRig>>, text: string) =>
  JSON.stringify(await (await r.command(text, "URESP")).body());

describe("/mcp-activity settings: why now", () => {
  it("counts the MCP app's authorizations in the stored events, the history fetched on first start too", async () => {
    const r = await commandRig([
      { time: T0 - HOUR },
      adminAct("auth-mcp", T0 - 2 * DAY, {
        action: "oauth_app_authorized",
        message: "Bob Admin authorized Atlassian MCP for https://acme.atlassian.net",
        backfilled: true,
      }),
      // Another app authorized, and the MCP app's consent revoked: not the MCP app authorized.
      adminAct("auth-other", T0 - 2 * DAY, {
        action: "oauth_app_authorized",
        message: "Bob Admin authorized Zapier for https://acme.atlassian.net",
      }),
      adminAct("revoked", T0 - DAY, {
        action: "oauth_app_consent_revoked",
        message: "Bob Admin revoked Atlassian MCP for https://acme.atlassian.net",
      }),
      // Before the week.
      adminAct("auth-old", T0 - 9 * DAY, {
        action: "oauth_app_authorized",
        message: "Bob Admin authorized Atlassian MCP for https://legal.atlassian.net",
      }),
    ]);
    // No alert was raised (the history is never alerted on): the events say it.
    expect(r.stores.alerts.list("org-1")).toEqual([]);
    const reply = await ask(r, "settings oauth");
    expect(reply).toContain("The Atlassian MCP app was authorized 1 time in the last 7 days.");
  });
});
