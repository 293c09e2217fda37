import { describe, expect, it } from "vitest";
import { TrailStore } from "../../../src/store/trail.js";
import { DAY, HOUR, MINUTE } from "../../../src/time-units.js";
import { event, setup } from "../engine-rig.js";
import { T0 } from "../fixtures.js";

const svc = {
  userId: "acc-svc",
  actorId: "acc-svc",
  userName: "svc-sync",
  actorName: "svc-sync",
  userEmail: "svc-sync@serviceaccount.atlassian.com",
  actorEmail: "svc-sync@serviceaccount.atlassian.com",
  authKind: "api-token" as const,
  authType: "api-token",
  clientApp: null,
  tool: "getJiraIssue",
  toolClass: "read" as const,
};

const READ = { tool: "getJiraIssue", toolClass: "read" as const };
const WRITE = { tool: "updateJiraIssue", toolClass: "write" as const };

describe("mcp-api-token, through the engine and a real store", () => {
  it("an integration making a steady 120 reads an hour is told at its first use, then of a spike at most once a day, the spike in the title", () => {
    const s = setup();
    const trail = new TrailStore(s.db);
    // Five hours on Wednesday, two on Thursday.
    for (const hour of [0, 1, 2, 3, 4, 24, 25]) {
      const calls = Array.from({ length: 120 }, (_, i) => {
        const time = T0 + hour * HOUR + i * 30_000;
        return event({ ...svc, time, processedAt: time + 2_000 });
      });
      const end = T0 + (hour + 1) * HOUR;
      s.clock.advance(end - s.clock.now());
      s.store(calls, end);
      s.engine().run();
      // A responder marks what was posted this hour Expected (a known integration).
      for (const a of s.alerts())
        if (a.ruleId === "mcp-api-token" && a.status === "open" && a.notify)
          trail.change("org-1", a.id, "expected", "URESP", end, (from) => from === "open");
    }
    const posted = s.alerts().filter((a) => a.ruleId === "mcp-api-token" && a.notify);
    // The first day is the account's first use (no usual yet to spike from), the next a spike.
    expect(posted.map((a) => [a.title, new Date(a.firstSeen).toISOString()])).toEqual([
      ["MCP call with an API token as svc-sync", "2026-11-04T10:00:00.000Z"],
      [
        "Spike of MCP calls with an API token as svc-sync: 120 in an hour",
        "2026-11-05T10:50:00.000Z",
      ],
    ]);
  });

  it("an integration that reads and writes is told of one spike a day per class of tool", () => {
    const s = setup();
    // A steady 120 calls an hour, reads and writes alternating, five hours on Wednesday and two
    // on Thursday.
    for (const hour of [0, 1, 2, 3, 4, 24, 25]) {
      const calls = Array.from({ length: 120 }, (_, i) => {
        const time = T0 + hour * HOUR + i * 30_000;
        return event({ ...svc, ...(i % 2 === 0 ? READ : WRITE), time, processedAt: time + 2_000 });
      });
      const end = T0 + (hour + 1) * HOUR;
      s.clock.advance(end - s.clock.now());
      s.store(calls, end);
      s.engine().run();
    }
    const spikes = s
      .alerts()
      .filter((a) => a.ruleId === "mcp-api-token" && a.notify && a.title.startsWith("Spike"));
    expect(spikes.map((a) => [a.tools, new Date(a.firstSeen).toISOString()])).toEqual([
      [["getJiraIssue"], "2026-11-05T10:50:00.000Z"],
      [["updateJiraIssue"], "2026-11-05T10:50:30.000Z"],
    ]);
  });

  it("a new site first reached in a later spike hour of the day is alerted, not absorbed", () => {
    const s = setup();
    // Wednesday: 5 hours of 120 reads on acme. Thursday: a spike at 10:00, then another busy hour
    // at 15:00 whose last 10 calls reach a new site.
    for (const hour of [0, 1, 2, 3, 4, 24, 29]) {
      const calls = Array.from({ length: 120 }, (_, i) => {
        const time = T0 + hour * HOUR + i * 30_000;
        const site = hour === 29 && i >= 110 ? { siteHost: "secret.atlassian.net" } : {};
        return event({ ...svc, ...site, time, processedAt: time + 2_000 });
      });
      const end = T0 + (hour + 1) * HOUR;
      s.clock.advance(end - s.clock.now());
      s.store(calls, end);
      s.engine().run();
    }
    const posted = s.alerts().filter((a) => a.ruleId === "mcp-api-token" && a.notify);
    expect(posted.filter((a) => a.groupKey.includes("secret.atlassian.net"))).toHaveLength(1);
  });

  it("a nightly job running past midnight UTC is one spike a night, each told when it starts", () => {
    const midnight = Math.ceil(T0 / DAY) * DAY;
    const s = setup("", midnight - 7 * DAY);
    // A week of a call an hour, in the history fetched on first start.
    const week = Array.from({ length: 7 * 24 }, (_, h) => midnight - 7 * DAY + h * HOUR);
    s.store(week.map((time) => event({ ...svc, time, processedAt: time, backfilled: true })));
    // Then two nights of 150 calls from 23:40 to 00:05, read by a poll each minute.
    for (const n of [0, 1])
      for (let m = 0; m < 25; m++) {
        const from = midnight + n * DAY - 20 * MINUTE + m * MINUTE;
        const calls = Array.from({ length: 6 }, (_, k) => from + k * 10_000);
        s.clock.advance(from + MINUTE - s.clock.now());
        s.store(
          calls.map((time) => event({ ...svc, time, processedAt: time })),
          s.clock.now(),
        );
        s.engine().run();
      }
    const spikes = s
      .alerts()
      .filter((a) => a.ruleId === "mcp-api-token" && a.notify && a.title.startsWith("Spike"));
    expect(spikes.map((a) => new Date(a.firstSeen).toISOString().slice(11, 16))).toEqual([
      "23:56",
      "23:56",
    ]);
    expect(spikes.map((a) => a.lastSeen - midnight)).toEqual([
      5 * MINUTE - 10_000,
      DAY + 5 * MINUTE - 10_000,
    ]);
  });
});
