/**
 * Events whose shape drifted from what the audit log sends today, read by the real poller: the
 * simulator's live page, with items spliced in as raw JSON text by a proxy on 127.0.0.1, into a
 * real SQLite file. Promised (docs/architecture.md): a time is never read in units it was not
 * written in, a single context or container object is read as a list of one, and a quarantined
 * item's reason says what is wrong with which field.
 */
import { describe, expect, it } from "vitest";
import { MINUTE, NOW, type Rig, rig } from "./setup.js";
import { pollerVia, proxy } from "./stream-proxy.js";

/** Polls once with `items` (JSON texts) first in the live page's data, after the backfill. */
async function pollWith(items: string[]): Promise<Rig> {
  const r = await rig({ hours: 1 });
  let extra: string[] | undefined;
  const url = await proxy(r.sim.url, async (u, forward) => {
    const answer = await forward(u);
    if (!extra || !u.searchParams.get("cursor")) return answer;
    const body = answer.body.replace('"data":[', `"data":[${extra.join(",")},`);
    extra = undefined;
    return { ...answer, body };
  });
  const poller = pollerVia(r, url);
  await poller.pollOnce(); // the backfill, untouched
  extra = items;
  r.clock.advance(2 * MINUTE);
  await poller.pollOnce();
  return r;
}

function reasons(r: Rig): Array<{ event_id: string | null; error: string; raw: string }> {
  return r.db
    .prepare<[], { event_id: string | null; error: string; raw: string }>(
      "SELECT event_id, error, raw FROM quarantined_events ORDER BY seq",
    )
    .all();
}

const iso = new Date(NOW + MINUTE).toISOString();
const seconds = Math.floor((NOW + MINUTE) / 1000);
const tool = { id: "t1", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } };
const site = {
  id: "s1",
  type: "sites",
  attributes: { siteHostName: "https://acme.atlassian.net", siteName: "acme" },
};

/** A destructive MCP call; `attributes` replaces any of its parts. */
const call = (id: string, attributes: Record<string, unknown>) =>
  JSON.stringify({
    id,
    type: "events",
    attributes: {
      time: iso,
      processedAt: iso,
      action: "rovo_mcp_tool_called",
      actor: { id: "acct-1", name: "Mallory", email: "mallory@example.com" },
      context: [tool],
      container: [site],
      ...attributes,
    },
  });

describe("times written as epoch seconds", () => {
  it("are quarantined, saying so, never stored as 1970 history", async () => {
    const r = await pollWith([
      call("in-seconds", { time: seconds, processedAt: seconds }),
      call("processed-in-seconds", { processedAt: seconds }),
    ]);
    expect(r.count("id IN ('in-seconds', 'processed-in-seconds')")).toBe(0);
    expect(reasons(r).map(({ event_id, error }) => ({ event_id, error }))).toEqual([
      {
        event_id: "in-seconds",
        error: `attributes.time: is ${seconds}, a number of seconds: epoch milliseconds were expected; attributes.processedAt: is ${seconds}, a number of seconds: epoch milliseconds were expected`,
      },
      {
        event_id: "processed-in-seconds",
        error: `attributes.processedAt: is ${seconds}, a number of seconds: epoch milliseconds were expected`,
      },
    ]);
    expect(r.logs.text()).toContain("a number of seconds");
  });
});

describe("context and container as one object, not a list", () => {
  it("still give the call's tool and site", async () => {
    const r = await pollWith([
      call("as-list", {}),
      call("as-object", { context: tool, container: site }),
    ]);
    const rows = r.db
      .prepare(
        "SELECT id, is_mcp, tool, tool_class, site_host FROM events WHERE id IN ('as-list', 'as-object') ORDER BY id",
      )
      .all();
    const read = {
      is_mcp: 1,
      tool: "deleteJiraIssue",
      tool_class: "destructive",
      site_host: "acme.atlassian.net",
    };
    expect(rows).toEqual([
      { id: "as-list", ...read },
      { id: "as-object", ...read },
    ]);
  });

  it("of any other shape, are quarantined rather than read as none", async () => {
    const r = await pollWith([
      call("context-text", { context: "deleteJiraIssue" }),
      call("container-numbers", { container: [site, 7] }),
    ]);
    expect(r.count("id IN ('context-text', 'container-numbers')")).toBe(0);
    expect(reasons(r).map(({ event_id, error }) => ({ event_id, error }))).toEqual([
      {
        event_id: "context-text",
        error: "attributes.context: must be a list or an object, got a string",
      },
      {
        event_id: "container-numbers",
        error: "attributes.container.1: must be an object, got a number (7)",
      },
    ]);
  });
});

describe("the reason a quarantined item is kept with", () => {
  it("says what is wrong with the field", async () => {
    const at = (id: unknown, attributes: Record<string, unknown>) =>
      JSON.stringify({ id, attributes: { action: "a", ...attributes } });
    const r = await pollWith([
      at("no-zone", { time: "2026-11-02T12:01:00" }),
      at("renamed", { timestamp: iso }),
      at("digits", { time: "1793620860000" }),
      at("micro", { time: (NOW + MINUTE) * 1000 }),
      at(12345, { time: iso }),
    ]);
    expect(reasons(r).map((q) => q.error)).toEqual([
      'attributes.time: has no time zone: "2026-11-02T12:01:00"',
      "attributes.time: is missing (beside it: timestamp)",
      'attributes.time: is a string of digits, not an ISO 8601 date-time: "1793620860000"',
      `attributes.time: is ${(NOW + MINUTE) * 1000}, a number of microseconds: epoch milliseconds were expected`,
      "id: must be a string, got a number (12345)",
    ]);
  });
});

// A serialiser writing an absent relationship as null: the null says nothing, and the call's
// tool and site are all there.
describe("a context or container list holding a null", () => {
  it("is read for its items, the call stored with its tool and site, not quarantined", async () => {
    const r = await pollWith([
      call("null-in-context", { context: [tool, null] }),
      call("null-in-container", { container: [null, site] }),
    ]);
    const rows = r.db
      .prepare(
        "SELECT id, is_mcp, tool, site_host FROM events WHERE id IN ('null-in-context', 'null-in-container') ORDER BY id",
      )
      .all();
    expect(r.db.prepare("SELECT event_id, error FROM quarantined_events").all()).toEqual([]);
    expect(rows).toEqual([
      {
        id: "null-in-container",
        is_mcp: 1,
        tool: "deleteJiraIssue",
        site_host: "acme.atlassian.net",
      },
      {
        id: "null-in-context",
        is_mcp: 1,
        tool: "deleteJiraIssue",
        site_host: "acme.atlassian.net",
      },
    ]);
  });
});
