import { describe, expect, it } from "vitest";
import { OutboxWatch, type Outcome } from "../../../src/slack/outbox/watch.js";
import { VirtualClock } from "../../fakes/virtual-clock.js";
import { capturedLogger } from "../../helpers/logs.js";

const waits = (until: number): Outcome => ({
  kind: "waits",
  until,
  code: "ratelimited",
  rateLimited: true,
});

describe("who waits to hear what becomes of a message", () => {
  it("hears its first wait and its end, once each", () => {
    const clock = new VirtualClock();
    const watch = new OutboxWatch({ clock, logger: capturedLogger().logger });
    const heard: Outcome[] = [];
    watch.add(7, (o) => heard.push(o));
    watch.told(8, { kind: "sent" });
    watch.told(7, waits(1));
    watch.told(7, waits(2));
    watch.told(7, { kind: "failed", reason: "cant_update_message", of: "alert-update" });
    watch.told(7, { kind: "sent" });
    expect(heard).toEqual([
      waits(1),
      { kind: "failed", reason: "cant_update_message", of: "alert-update" },
    ]);
  });

  it("hears nothing after the 30 minutes a click's response URL lasts", () => {
    const clock = new VirtualClock();
    const watch = new OutboxWatch({ clock, logger: capturedLogger().logger });
    const heard: Outcome[] = [];
    watch.add(7, (o) => heard.push(o));
    clock.advance(30 * 60_000);
    watch.told(7, { kind: "failed", reason: "cant_update_message", of: "alert-update" });
    expect(heard).toEqual([]);
  });

  it("a listener that throws is logged, and the others still hear", () => {
    const clock = new VirtualClock();
    const logs = capturedLogger();
    const watch = new OutboxWatch({ clock, logger: logs.logger });
    const heard: Outcome[] = [];
    watch.add(7, () => {
      throw new Error("boom");
    });
    watch.add(7, (o) => heard.push(o));
    watch.told(7, { kind: "sent" });
    expect(heard).toEqual([{ kind: "sent" }]);
    expect(logs.lines().map((l) => l.msg)).toEqual(["telling what became of a message failed"]);
  });
});
