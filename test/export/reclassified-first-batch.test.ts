/**
 * An event that becomes an MCP call while an organization's first export batch is in flight: the
 * export records its organizations at its first pass, so the event is queued and sent.
 */
import { afterEach, describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/ingest/classify.js";
import { classifyAgainPass } from "../../src/ingest/classify-again-pass.js";
import { recordKeysAgain } from "../../src/ingest/new-mcp-keys.js";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { until } from "../helpers/until.js";
import { freshStore, T } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
const KEY = "rovo_agent_tool_invoked";
const receivers: SiemReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
type Store = ReturnType<typeof freshStore>;

function storeBoth(s: Store): void {
  const x = mcpEvent({
    id: "x",
    action: KEY,
    isMcp: false,
    mcpBasis: null,
    clientApp: null,
    tool: null,
    toolClass: null,
  });
  s.transaction(() => s.events.insertMany([x, mcpEvent({ id: "a" })], T));
}
async function catalogueListsKey(s: Store): Promise<void> {
  const catalog = buildCatalog([
    { action: KEY, displayName: "Tool called", groupName: "Rovo MCP User Actions" },
  ]);
  s.transaction(() => recordKeysAgain(s, "org-1", [KEY]));
  await classifyAgainPass({ orgId: "org-1", stores: s, log: capturedLogger().logger }, catalog);
  expect(s.db.prepare("SELECT is_mcp FROM events WHERE id = 'x'").pluck().get()).toBe(1);
}

describe("the SIEM export's first batch", () => {
  it("an event reclassified while the organization's first batch is in flight is still sent", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    receivers.push(receiver);
    const s = freshStore();
    const clock = new VirtualClock();
    const exporter = exporterTo(receiver, SECRET, s, clock, capturedLogger("info").logger);
    storeBoth(s);
    receiver.answer({ status: 200, hold: true });
    const pass = exporter.pass(new AbortController().signal);
    await until(() => receiver.holding === 1, "first batch held", 5_000, 5);
    // The catalogue lists KEY while the receiver holds the first batch (["a"]): x becomes an MCP call
    // below the place the batch will move the position to.
    await catalogueListsKey(s);
    receiver.release();
    await pass;
    await exporter.pass(new AbortController().signal);
    await exporter.pass(new AbortController().signal);
    // At least once: every stored MCP event reaches the SIEM.
    expect(
      receiver
        .records()
        .map((r) => r.id)
        .sort(),
    ).toEqual(["a", "x"]);
  });
});
