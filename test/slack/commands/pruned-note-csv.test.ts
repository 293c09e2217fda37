/**
 * An export asked from Slack (`format:csv`, or the Export CSV button) over time retention
 * deleted: the reply and the file say the events before the cut were deleted, as the same
 * question answered in Slack does, and as `mcp-activity query … format:csv` does on stderr.
 */
import { describe, expect, it } from "vitest";
import { registerCommand } from "../../../src/slack/commands/slash-command.js";
import { EventStore } from "../../../src/store/events.js";
import { DAY, MINUTE } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

describe("a CSV export asked in Slack over time retention deleted", () => {
  it("says the events before the cut were deleted", async () => {
    const r = await slackRig();
    r.clock.advance(60 * MINUTE);
    r.slack.setMembers(CHANNEL, ["URESP"]);
    r.slack.addUser({ id: "URESP", name: "resp", email: "resp@example.com", tz: "UTC" });
    const b = await boltApp(r, (app, responders) =>
      registerCommand(app, r.commandDeps({ responders })),
    );
    const base = normalizedEvent();
    new EventStore(r.db).insertMany(
      Array.from({ length: 5 }, (_, i) => ({ ...base, id: `e-${i}`, time: T0 - i * MINUTE })),
      T0,
    );
    const polled = { orgId: "org-1", cursor: null, lastProcessedAt: T0, backfillFrom: null };
    r.stores.pollStates.save({ ...polled, backfillUntil: T0, backfillDone: true }, T0);
    // A retention pass (RETENTION_DAYS=3) deleted what was before three days ago.
    r.stores.prunedBefore.record("org-1", r.clock.now() - 3 * DAY, r.clock.now());

    const ask = async (text: string) =>
      JSON.stringify(await (await b.command(text, "URESP")).body());
    const note = "deleted by retention";
    // In Slack, the answer says so.
    expect(await ask("user:alice@example.com since:30d")).toContain(note);
    // As a file: the reply says it too.
    const reply = await ask("user:alice@example.com since:30d format:csv");
    expect(reply).toContain("in your direct messages");
    const csv = r.slack.uploads[0]?.bytes.toString("utf8") ?? "";
    expect(csv).toContain("alice@example.com");
    expect(`${reply}\n${csv}`).toContain(note);
  });
});
