/**
 * The same event id coming again with other content: the version first stored is kept (it is the
 * evidence), and the log and a metric say so. A proxy on 127.0.0.1 in front of the simulator adds
 * the event to pages; a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { CHANGED_AGAIN } from "../../src/ingest/changed-again.js";
import { Metrics } from "../../src/metrics.js";
import { changedFields } from "../../src/store/changed-events.js";
import { MINUTE, NOW, rig } from "./setup.js";
import { pollerVia, proxy } from "./stream-proxy.js";

const iso = new Date(NOW + MINUTE).toISOString();
const call = (context: unknown[], extra: object = {}) =>
  JSON.stringify({
    id: "same-id-1",
    type: "events",
    attributes: {
      time: iso,
      processedAt: iso,
      action: "rovo_mcp_tool_called",
      actor: { id: "acct-1", name: "Mallory", email: "mallory@example.com" },
      context,
      container: [],
    },
    ...extra,
  });

describe("the fields two versions of an event differ in", () => {
  it("are named by top-level field and attribute, never by value, spacing and key order aside", () => {
    const a = call([]);
    const b = call([{ id: "t1", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } }], {
      message: { content: "secret words", format: "simple" },
    });
    expect(changedFields(a, b)).toEqual(["attributes.context", "message"]);
    expect(changedFields(a, JSON.stringify(JSON.parse(a), null, 2))).toEqual([]);
    const reordered = JSON.parse(a) as { attributes: Record<string, unknown> };
    const { time, ...rest } = reordered.attributes;
    expect(
      changedFields(a, JSON.stringify({ ...reordered, attributes: { ...rest, time } })),
    ).toEqual([]);
  });
});

describe("an id already stored coming again", () => {
  it("with other content keeps the version first stored, says so once at warn and counts it", async () => {
    const r = await rig({ hours: 1 });
    let extra: string[] | undefined;
    const url = await proxy(r.sim.url, async (u, forward) => {
      const answer = await forward(u);
      if (!extra || !u.searchParams.get("cursor")) return answer;
      const body = answer.body.replace('"data":[', `"data":[${extra.join(",")},`);
      extra = undefined;
      return { ...answer, body };
    });
    const metrics = new Metrics();
    const orgId = r.sim.orgId;
    const poller = pollerVia(r, url, { onStored: (added) => metrics.stored(orgId, added) });
    await poller.pollOnce();
    extra = [call([])];
    r.clock.advance(2 * MINUTE);
    await poller.pollOnce();
    const tool = { id: "t1", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } };
    for (let i = 0; i < 2; i++) {
      extra = [call([tool])];
      r.clock.advance(2 * MINUTE);
      await poller.pollOnce();
    }
    extra = [call([])]; // the same as stored: a plain duplicate
    r.clock.advance(2 * MINUTE);
    await poller.pollOnce();
    const stored = r.db
      .prepare("SELECT id, tool, tool_class FROM events WHERE id = 'same-id-1'")
      .all();
    const said = r.logs.lines().filter((l) => JSON.stringify(l).includes("same-id-1"));
    expect({ stored, said }).toEqual({
      stored: [{ id: "same-id-1", tool: null, tool_class: null }],
      said: [
        expect.objectContaining({
          level: 40,
          msg: CHANGED_AGAIN,
          eventId: "same-id-1",
          orgId,
          fields: ["attributes.context"],
        }),
      ],
    });
    expect(JSON.stringify(said)).not.toContain("deleteJiraIssue");
    const text = await metrics.render();
    expect(text).toContain(`mcp_activity_events_changed_total{org="${orgId}"} 2`);
  });
});
