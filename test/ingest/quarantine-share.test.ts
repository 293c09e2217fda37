/**
 * A field Atlassian renames (attributes.action → attributes.actionKey) sends every event to the
 * quarantine while each poll succeeds: health must say so, and the log say it once.
 */
import { describe, expect, it } from "vitest";
import { QuarantineShare } from "../../src/ingest/quarantine-share.js";
import { capturedLogger } from "../helpers/logs.js";
import { MINUTE, rig } from "./setup.js";
import { pollerVia, proxy } from "./stream-proxy.js";

describe("every live event quarantined after a field is renamed", () => {
  it("turns the poller unhealthy with the reason, says it once, and says when it ends", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce(); // the backfill, untouched
    let renamed = true;
    const url = await proxy(r.sim.url, async (u, forward) => {
      const answer = await forward(u);
      return renamed
        ? { ...answer, body: answer.body.replaceAll('"action":', '"actionKey":') }
        : answer;
    });
    const poller = pollerVia(r, url);
    const stored = r.count();
    for (let i = 0; i < 5; i++) {
      r.clock.advance(30 * MINUTE);
      await poller.pollOnce();
    }
    const health = poller.health();
    expect(r.count()).toBe(stored); // nothing of 150 minutes stored
    expect(health.quarantined).toBeGreaterThanOrEqual(150);
    expect({ healthy: health.healthy, lastError: health.lastError }).toEqual({
      healthy: false,
      lastError: {
        kind: "malformed",
        message: expect.stringMatching(
          /^30 of the 30 items the latest polls read were quarantined \(attributes\.action: .*\): Atlassian may have changed/,
        ),
        at: r.clock.now(),
      },
    });
    const said = (text: string) =>
      r.logs
        .text()
        .split("\n")
        .filter((line) => line.includes(text));
    expect(said("malformed events quarantined")).toHaveLength(1);
    expect(said("items the latest polls read were quarantined")).toHaveLength(1);

    renamed = false;
    r.clock.advance(30 * MINUTE);
    await poller.pollOnce();
    expect(poller.health()).toMatchObject({ healthy: true, lastError: null });
    expect(said("the audit log's events are stored again")).toHaveLength(1);
  });
});

describe("a quiet organization's broken item", () => {
  const item = { eventId: "x", raw: "{}", error: "attributes.action: is missing" };
  it("is not a changed format alone: the share is judged once ten items were read", () => {
    const share = new QuarantineShare(capturedLogger("info").logger);
    share.stored(0, [item], 1); // a poll that read one item, broken
    share.ended(1);
    expect(share.lastError).toBeNull();
    for (let poll = 2; poll <= 10; poll++) {
      share.stored(0, [item], 1);
      share.ended(poll);
    }
    expect(share.lastError?.message).toMatch(/^10 of the 10 items the latest polls read/);
    share.stored(10, [], 0); // ten events stored again
    share.ended(11);
    expect(share.lastError).toBeNull();
  });
});
