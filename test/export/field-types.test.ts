/**
 * The records are flat and typed alike so that a collector needs no mapping (docs/export.md):
 * Elastic's or OpenSearch's dynamic mapping types a field from the first record indexed, and then
 * rejects every record whose same field has another JSON type.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore, newAlert, T } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
const receivers: SiemReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** Each field's JSON types, nested objects' fields named by their path; null fits any type. */
function typesOf(records: Array<Record<string, unknown>>): Map<string, Set<string>> {
  const types = new Map<string, Set<string>>();
  const walk = (value: Record<string, unknown>, prefix: string) => {
    for (const [name, field] of Object.entries(value)) {
      if (field === null) continue;
      const type = Array.isArray(field) ? "array" : typeof field;
      types.set(`${prefix}${name}`, (types.get(`${prefix}${name}`) ?? new Set()).add(type));
      if (type === "object") walk(field as Record<string, unknown>, `${prefix}${name}.`);
    }
  };
  for (const record of records) walk(record, "");
  return types;
}

describe("every record the export sends", () => {
  it("gives each field name one JSON type, across MCP events and every change of an alert", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    receivers.push(receiver);
    const s = freshStore();
    const clock = new VirtualClock();
    s.transaction(() =>
      s.events.insertMany(
        [mcpEvent({ id: "3f6c2b1e-7d4a-4b8e-9f0a-1c2d3e4f5a6b" }), mcpEvent({ id: "e2" })],
        T,
      ),
    );
    // Raised for the digest, then grown into the channel with a higher severity; acknowledged.
    const grown = s.alerts.insert(newAlert({ severity: "low", notify: false }));
    s.alerts.grow(
      { id: grown, orgId: "org-1" },
      { seq: 2, time: T + 1, late: false, tools: [], severity: "high", notify: true },
      T + 1,
    );
    s.trail.change("org-1", grown, "acknowledged", "U1", T + 2, () => true);
    s.alerts.insert(newAlert({ notify: false, suppressedBy: "snoozed for 4 h by <@U1>" }));
    const exporter = exporterTo(receiver, SECRET, s, clock, capturedLogger().logger);

    await exporter.pass(new AbortController().signal);

    const records = receiver.records();
    const kinds = new Set(records.map((r) => (r.kind === "alert" ? r.change : r.kind)));
    expect(kinds).toEqual(new Set(["mcp_event", "raised", "severity", "channel", "status"]));
    const clashing = [...typesOf(records)]
      .filter(([, types]) => types.size > 1)
      .map(([field, types]) => `${field}: ${[...types].join(", ")}`);
    expect(clashing).toEqual([]);
  });
});
