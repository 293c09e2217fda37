/**
 * A quarantined item a later release reads is stored after the export passed the events around
 * it: it is sent in the next batch, as a late event is.
 */
import { afterEach, describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/ingest/classify.js";
import { recoverQuarantined } from "../../src/ingest/quarantine-recovery.js";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore, T } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
const receivers: SiemReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A call an earlier release quarantined: its context list holds a null. */
const RAW = JSON.stringify({
  id: "q",
  type: "events",
  attributes: {
    time: new Date(T - 60_000).toISOString(),
    processedAt: new Date(T - 60_000).toISOString(),
    action: "rovo_mcp_tool_called",
    actor: { id: "acct-q", name: "Mallory", email: "mallory@example.com" },
    context: [{ id: "t1", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } }, null],
    container: [],
  },
});

describe("a quarantined item stored by a later release", () => {
  it("is sent by the export after the events it passed", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    receivers.push(receiver);
    const s = freshStore();
    const logs = capturedLogger("info");
    const exporter = exporterTo(receiver, SECRET, s, new VirtualClock(), logs.logger);
    s.transaction(() => s.events.insertMany([mcpEvent({ id: "a" })], T));
    s.quarantine.add("org-1", [{ eventId: "q", error: "attributes.context.1: …", raw: RAW }], T);
    await exporter.pass(new AbortController().signal);
    expect(receiver.records().map((r) => r.id)).toEqual(["a"]);

    const catalog = buildCatalog([
      { action: "rovo_mcp_tool_called", displayName: "Tool called", groupName: "Rovo MCP" },
    ]);
    const recovery = await recoverQuarantined(
      { orgId: "org-1", stores: s, log: logs.logger, now: () => T },
      catalog,
    );
    expect(recovery).toMatchObject({ read: 1, recovered: 1, left: 0, stopped: false });
    await exporter.pass(new AbortController().signal);
    expect(receiver.records().map((r) => [r.id, r.tool])).toEqual([
      ["a", expect.anything()],
      ["q", "deleteJiraIssue"],
    ]);
    expect(s.quarantine.countFor("org-1")).toBe(0);
  });
});
