/**
 * What the operator on call reads during long failures: each said once while it lasts, its end
 * said too, naming what to fix. The app in this process on a fast clock, the simulator and a fake
 * Slack on 127.0.0.1, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/time-units.js";
import { closedPort } from "../helpers/ports.js";
import { readUntil, until } from "../helpers/until.js";
import { CHANNEL, injectDestructiveCall, logged, type Running, startFaultyApp } from "./harness.js";

/** Log lines at warn or above whose message matches. */
const loud = (r: Running, pattern: RegExp) =>
  r.logs.lines().filter((line) => Number(line.level) >= 40 && pattern.test(String(line.msg)));

describe("the API key refused", () => {
  it("names ATLASSIAN_API_KEY on /healthz, and says when Atlassian accepts it again", async () => {
    const r = await startFaultyApp({ factor: 200 });
    r.sim.setApiKey("another-key"); // the running key is refused: 401
    const bad = await readUntil(
      r.health,
      (h) => h.status === 503 && h.body.poller.lastError?.kind === "auth",
      "503 auth",
    );
    expect(bad.body.poller.lastError?.message).toContain("check ATLASSIAN_API_KEY");
    r.sim.setApiKey("faults-key");
    const since = r.clock.now();
    await readUntil(
      r.health,
      (h) => h.status === 200 && Date.parse(h.body.poller.lastSuccessfulPoll ?? "0") > since,
      "healthy again",
      30_000,
    );
    expect(logged(r, "polling works again")).toHaveLength(1);
  }, 60_000);
});

describe("Slack's user look-up failing for an hour", () => {
  it("holds the questions to people back, saying so once while it lasts", async () => {
    const r = await startFaultyApp({ factor: 400 });
    r.slack.failNext("users.lookupByEmail", { status: 500 }, 100_000);
    injectDestructiveCall(r, "live-1");
    await until(
      () => r.slack.messages(CHANNEL).some((m) => m.metadata?.event_type === "mcp_alert"),
      "the alert to be posted",
      20_000,
    );
    const from = r.clock.now();
    await until(() => r.clock.now() > from + HOUR, "an hour of app time", 60_000, 200);
    expect(loud(r, /questions to the people behind alerts wait/)).toHaveLength(1);
  }, 90_000);
});

describe("the SIEM receiver unreachable for two hours", () => {
  it("says the export's failure once, not at every retry", async () => {
    const r = await startFaultyApp({
      factor: 900,
      env: {
        EXPORT_URL: `http://127.0.0.1:${await closedPort()}/ingest`, // connection refused
        EXPORT_SECRET: "exp-on-call-0123456789abcdef0123456789abcdef",
      },
    });
    // Said once it first fails (after the first poll stored something to send), however loaded
    // the machine; then two hours of retries add nothing.
    await until(() => loud(r, /^export:/).length > 0, "the export's failure said", 60_000, 200);
    const from = r.clock.now();
    await until(() => r.clock.now() > from + 2 * HOUR, "two hours of app time", 60_000, 200);
    expect(loud(r, /^export:/)).toHaveLength(1);
  }, 150_000);
});
