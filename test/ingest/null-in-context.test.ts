/**
 * A real MCP call whose context or container list holds a null beside its items (a serialiser
 * writing an absent relationship as null): the null says nothing, and the call's tool and site are
 * all there. Before the shape-drift change such a call was stored; now it is quarantined, so a
 * destructive call is neither stored nor alerted on.
 */
import { describe, expect, it } from "vitest";
import { MINUTE, NOW, type Rig, rig } from "./setup.js";
import { pollerVia, proxy } from "./stream-proxy.js";

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
  await poller.pollOnce();
  extra = items;
  r.clock.advance(2 * MINUTE);
  await poller.pollOnce();
  return r;
}

const iso = new Date(NOW + MINUTE).toISOString();
const tool = { id: "t1", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } };
const site = {
  id: "s1",
  type: "sites",
  attributes: { siteHostName: "https://acme.atlassian.net", siteName: "acme" },
};
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
