/**
 * The host's clock stepped back (NTP correcting a clock that ran ahead), with the app running:
 * waits set before the step must not last hours, nor failures hide. The app in this process on a
 * fast clock, the simulator and a fake Slack on 127.0.0.1, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { HOUR, MINUTE } from "../../src/time-units.js";
import { readUntil, until } from "../helpers/until.js";
import { CHANNEL, injectDestructiveCall, startFaultyApp } from "./harness.js";

describe("the clock stepped back six hours", () => {
  it("an alert held by an archived channel is posted within minutes of unarchiving", async () => {
    const r = await startFaultyApp({ factor: 100 });
    let archived = true;
    r.slack.failNext("chat.postMessage", { error: "is_archived" }, 100_000, () => archived);
    injectDestructiveCall(r, "live-1");
    const during = await readUntil(
      r.health,
      (h) => h.body.slack.lastError?.code === "is_archived",
      "is_archived on /healthz",
    );
    expect(during.status).toBe(503);
    r.clock.offset -= 6 * HOUR;
    archived = false;
    const from = r.clock.now();
    await until(() => r.clock.now() > from + 5 * MINUTE, "five minutes of app time", 30_000);
    const posted = r.slack.messages(CHANNEL).filter((m) => m.metadata?.event_type === "mcp_alert");
    expect(posted.length).toBeGreaterThan(0);
  }, 60_000);

  it("a poller failing from then on turns /healthz 503 within minutes", async () => {
    const r = await startFaultyApp({ factor: 100 });
    r.clock.offset -= 6 * HOUR;
    r.sim.injectFault({ kind: "server-error" }, { times: 100_000 });
    const from = r.clock.now();
    await until(() => r.clock.now() > from + 10 * MINUTE, "ten minutes of app time", 30_000);
    const h = await r.health();
    expect(h.body.poller.lastError?.kind).toBe("server");
    expect(h.status).toBe(503);
  }, 60_000);
});
