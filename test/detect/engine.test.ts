import { afterEach, describe, expect, it, vi } from "vitest";
import { MemorySink } from "../../src/detect/replay.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { EventStore } from "../../src/store/events.js";
import { MuteStore } from "../../src/store/mutes.js";
import { repositories } from "../../src/store/repositories.js";
import { SuppressionStore } from "../../src/store/suppressions.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { byRule, event, person, setup, tokenCall } from "./engine-rig.js";
import { T0 } from "./fixtures.js";

afterEach(() => {
  vi.restoreAllMocks(); // the spy on the store's reads, even when a test fails before its end
});

describe("detection engine", () => {
  it("raises a first-use alert once, and not again after a restart", () => {
    const s = setup();
    s.store([event()]);
    expect(s.engine().run()).toMatchObject({ evaluated: 1, raised: 1 });
    s.store([event({ time: T0 + 60 * MINUTE })]);
    expect(s.engine().run()).toMatchObject({ evaluated: 1, raised: 0 });
    expect(s.alerts().map((a) => a.ruleId)).toEqual(["mcp-first-use"]);
  });

  it("ends a slice early when told, and the next slice goes on from the event after", () => {
    const s = setup("minSeverity: low\n");
    const writes = Array.from({ length: 7 }, (_, i) =>
      event({ time: T0 + i * MINUTE, tool: "createJiraIssue", toolClass: "write" }),
    );
    s.store(writes);
    const engine = s.engine();
    const reads = vi.spyOn(EventStore.prototype, "liveAfter");
    let asked = 0;
    const afterTwo = () => ++asked >= 2;
    expect(engine.runSlice(5, afterTwo)).toMatchObject({ result: { evaluated: 2 }, more: true });
    asked = 0;
    expect(engine.runSlice(5, afterTwo)).toMatchObject({ result: { evaluated: 2 }, more: true });
    // Stored meanwhile: read once the one the last slice left is judged.
    s.store([event({ time: T0 + 7 * MINUTE, tool: "createJiraIssue", toolClass: "write" })]);
    expect(engine.runSlice(5)).toMatchObject({ result: { evaluated: 1 }, more: true });
    expect(engine.runSlice(5)).toMatchObject({ result: { evaluated: 3 }, more: false });
    expect(engine.runSlice(5)).toMatchObject({ result: { evaluated: 0 }, more: false });
    // Every event judged once (one write alert grown by the seven after the first), and read
    // once, in three reads: a slice starts with what the one before it read and left.
    const write = s.alerts().filter((a) => a.ruleId === "mcp-write");
    expect(write).toHaveLength(1);
    expect(write[0]?.eventCount).toBe(8);
    const rowsRead = reads.mock.results.reduce((n, r) => n + (r.value as unknown[]).length, 0);
    const readCalls = reads.mock.calls.length;
    expect(rowsRead).toBe(8);
    expect(readCalls).toBe(3);
    // At info the slice that raised alerts; at debug the slices that only grew one.
    const said = s.logs.lines().filter((l) => String(l.msg).startsWith("rules:"));
    expect(said.map((l) => [l.level, l.msg])).toEqual([
      [30, "rules: 2 alert(s) raised, 1 grown"],
      [20, "rules: 2 alert(s) grown"],
      [20, "rules: 1 alert(s) grown"],
      [20, "rules: 3 alert(s) grown"],
    ]);
  });

  it("never alerts on backfilled events, yet counts them as history", () => {
    const s = setup();
    s.store([event({ backfilled: true })]);
    expect(s.engine().run()).toMatchObject({ evaluated: 0, raised: 0 });
    s.store([event({ time: T0 + MINUTE })]);
    s.engine().run();
    expect(s.alerts()).toEqual([]);
  });

  it("groups one rule's findings about one person within the window", () => {
    const s = setup("minSeverity: low\n");
    const writes = ["createJiraIssue", "editJiraIssue", "createJiraIssue"].map((tool, i) =>
      event({ tool, toolClass: "write", time: T0 + i * 4 * MINUTE }),
    );
    s.store(writes);
    s.engine().run();
    const write = byRule(s.alerts())["mcp-write"];
    expect(write).toMatchObject({
      eventCount: 3,
      firstSeen: T0,
      lastSeen: T0 + 8 * MINUTE,
      tools: ["createJiraIssue", "editJiraIssue"],
      revision: 3,
      notify: true,
    });
    // Past the window: a new alert.
    s.store([event({ tool: "editJiraIssue", toolClass: "write", time: T0 + 30 * MINUTE })]);
    s.engine().run();
    expect(s.alerts().filter((a) => a.ruleId === "mcp-write")).toHaveLength(2);
    // A call of the day before that arrives only now is not one of these calls: its own alert.
    s.store([
      event({
        tool: "editJiraIssue",
        toolClass: "write",
        time: T0 - 24 * 60 * MINUTE,
        processedAt: T0 + 31 * MINUTE,
      }),
    ]);
    s.engine().run();
    const grouped = s.alerts().filter((a) => a.ruleId === "mcp-write");
    expect(grouped.map((a) => [a.eventCount, a.firstSeen - T0, a.late])).toEqual([
      [3, 0, false],
      [1, 30 * MINUTE, false],
      [1, -24 * 60 * MINUTE, true],
    ]);
  });

  it("raises mcp-new-tool on a tool the organization's history never used, once", () => {
    const s = setup();
    s.store([event({ backfilled: true })]);
    s.engine().run();
    s.store([
      event({ tool: "createJiraProject", toolClass: "admin", time: T0 + MINUTE }),
      event({ ...person("acc-bob", "bob@example.com"), time: T0 + 2 * MINUTE }),
      event({ tool: "createJiraProject", toolClass: "admin", time: T0 + 3 * MINUTE }),
    ]);
    s.engine().run();
    const fresh = s.alerts().filter((a) => a.ruleId === "mcp-new-tool");
    expect(fresh.map((a) => [a.title, a.eventCount, a.aboutOrganization])).toEqual([
      ["New MCP tool createJiraProject (admin) used by Alice Example", 1, true],
    ]);
  });

  it("reads back, from the stored raw JSON, a tool guessed from the message", () => {
    const s = setup();
    const message = "Rovo MCP server: API token getConfluencePage called deleteConfluencePage";
    const raw = JSON.stringify({
      id: "ev-guess",
      attributes: {
        time: new Date(T0).toISOString(),
        action: "rovo_mcp_tool_called",
        actor: { id: "acc-alice", name: "Alice Example", auth: { authType: "api-token" } },
      },
      message: { content: message },
    });
    s.store([
      event({
        id: "ev-guess",
        tool: "deleteConfluencePage",
        toolClass: "destructive",
        toolGuessed: true,
        message,
        raw,
      }),
    ]);
    s.engine().run();
    expect(byRule(s.alerts())["mcp-destructive"]?.title).toBe(
      "deleteConfluencePage (guessed from the message) by Alice Example",
    );
  });

  it("keeps different people apart", () => {
    const s = setup();
    s.store([
      event({ tool: "deleteJiraIssue", toolClass: "destructive" }),
      event({
        tool: "deleteJiraIssue",
        toolClass: "destructive",
        userId: "acc-bob",
        userName: "Bob",
      }),
    ]);
    s.engine().run();
    expect(
      s
        .alerts()
        .filter((a) => a.ruleId === "mcp-destructive")
        .map((a) => a.userName),
    ).toEqual(["Alice Example", "Bob"]);
  });

  it("stores low alerts without posting them when below minSeverity", () => {
    const s = setup();
    s.store([event({ tool: "createJiraIssue", toolClass: "write" })]);
    s.engine().run();
    expect(byRule(s.alerts())["mcp-write"]).toMatchObject({ severity: "low", notify: false });
    expect(byRule(s.alerts())["mcp-first-use"]).toMatchObject({ severity: "medium", notify: true });
  });

  it("applies severity overrides and disabled rules", () => {
    const s = setup(
      "rules:\n  mcp-write: { severity: high }\n  mcp-first-use: { enabled: false }\n",
    );
    s.store([event({ tool: "createJiraIssue", toolClass: "write" })]);
    s.engine().run();
    expect(s.alerts().map((a) => [a.ruleId, a.severity, a.notify])).toEqual([
      ["mcp-write", "high", true],
    ]);
  });

  it("stores suppressed alerts with the reason, never to be posted", () => {
    const s = setup(
      [
        "groups:",
        "  automation: [svc-bot@example.com]",
        "suppressions:",
        "  - { actor: alice@example.com, rule: mcp-first-use, reason: onboarding pilot }",
        "  - { group: automation, reason: nightly sync }",
        "  - { tool: createJiraIssue, reason: expected until year end, until: 2026-12-31 }",
      ].join("\n"),
    );
    s.store([
      event(),
      event({ ...person("acc-bot", "svc-bot@example.com"), authKind: "api-token" }),
      event({
        ...person("acc-carol", "carol@example.com"),
        tool: "createJiraIssue",
        toolClass: "write",
      }),
    ]);
    s.engine().run();
    const found = s.alerts().map((a) => [a.ruleId, a.userId, a.suppressedBy, a.notify]);
    expect(found).toEqual([
      ["mcp-first-use", "acc-alice", "onboarding pilot", false],
      ["mcp-api-token", "acc-bot", "nightly sync", false],
      // A suppression without `rule` does not cover a new person's first call: it must name it.
      ["mcp-first-use", "acc-carol", null, true],
      ["mcp-write", "acc-carol", "expected until year end", false],
      ["mcp-new-tool", "acc-carol", "expected until year end", false],
    ]);
  });

  it("raises a burst once the threshold is passed, as one growing alert", () => {
    const s = setup("rules:\n  mcp-burst: { calls: 5, windowMinutes: 10 }\n");
    s.store(
      Array.from({ length: 8 }, (_, i) => event({ time: T0 + i * 10_000, resource: `OPS-${i}` })),
    );
    s.engine().run();
    // Its title follows the burst as it grows: 6 calls when raised, 8 by the last.
    expect(byRule(s.alerts())["mcp-burst"]).toMatchObject({
      eventCount: 3,
      title: "8 MCP calls by Alice Example within 10 minutes",
      detail: { calls: 8, figure: 8 },
    });
  });

  it("counts the different resources a person read or searched in the window, once each", () => {
    const s = setup(
      "rules:\n  mcp-burst: { calls: 1000, windowMinutes: 10, distinctResources: 3 }\n",
    );
    const at = (i: number) => T0 + i * 10_000;
    s.store([
      event({ time: at(0), resource: "OPS-1" }),
      event({ time: at(1), resource: "OPS-2", tool: "searchJiraIssues", toolClass: "search" }),
      event({ time: at(2), resource: "OPS-1" }), // the same page again
      event({ time: at(3), resource: "OPS-9", tool: "createJiraIssue", toolClass: "write" }),
      event({ time: at(4), resource: null }),
      event({ time: at(5), resource: "OPS-3" }),
    ]);
    s.engine().run();
    expect(byRule(s.alerts())["mcp-burst"]).toBeUndefined(); // three different: not more than 3
    s.store([event({ time: at(6), resource: "OPS-4" })]);
    s.engine().run();
    expect(byRule(s.alerts())["mcp-burst"]?.title).toBe(
      "4 different resources read by Alice Example within 10 minutes",
    );
  });

  it("sees a burst whole when its middle is stored a poll late, counting each call once", () => {
    const s = setup(
      "rules:\n  mcp-burst: { calls: 50, windowMinutes: 10, distinctResources: 45 }\n",
    );
    s.store([event({ time: T0 - 60 * MINUTE })]);
    s.engine().run();
    // 60 calls in 6 minutes; Atlassian processes calls 11 to 30 after the rest.
    const calls = Array.from({ length: 60 }, (_, i) =>
      event({ time: T0 + i * 6_000, resource: `OPS-${i % 48}` }),
    );
    s.store([...calls.slice(0, 10), ...calls.slice(30)]);
    s.engine().run();
    expect(byRule(s.alerts())["mcp-burst"]).toBeUndefined(); // 40 so far: not more than 50
    s.store(calls.slice(10, 30));
    s.engine().run();
    const burst = s.alerts().filter((a) => a.ruleId === "mcp-burst");
    // The 21st late call makes it 51; the nine after it grow the same alert, to all 60.
    expect(burst.map((a) => a.title)).toEqual(["60 MCP calls by Alice Example within 10 minutes"]);
    expect(burst[0]?.detail).toMatchObject({ calls: 60 });
    expect(burst[0]?.eventCount).toBe(10);
  });

  it("counts the different resources read in the busiest window holding a late call", () => {
    const s = setup(
      "rules:\n  mcp-burst: { calls: 1000, windowMinutes: 10, distinctResources: 3 }\n",
    );
    s.store([event({ time: T0 - 60 * MINUTE, resource: "OLD" })]);
    s.engine().run();
    const at = (i: number) => T0 + i * 60_000;
    s.store([
      event({ time: at(0), resource: "OPS-1" }),
      event({ time: at(3), resource: "OPS-3" }),
      event({ time: at(4), resource: "OPS-3" }), // the same page again
      event({ time: at(5), resource: "OPS-4", tool: "createJiraIssue", toolClass: "write" }),
      event({ time: at(12), resource: "OPS-5" }), // the window ending here holds no late call
    ]);
    s.engine().run();
    expect(byRule(s.alerts())["mcp-burst"]).toBeUndefined();
    s.store([event({ time: at(2), resource: "OPS-2" }), event({ time: at(2), resource: "OPS-6" })]);
    s.engine().run();
    // Ending at 5 min: OPS-1, OPS-2, OPS-6 and OPS-3 (twice), not the write.
    expect(byRule(s.alerts())["mcp-burst"]?.title).toBe(
      "4 different resources read by Alice Example within 10 minutes",
    );
  });

  it("raises a steady runaway agent started at half past: the hour before is no baseline", () => {
    const s = setup("rules:\n  mcp-burst: { enabled: false }\n");
    // Alice's usual: 5 calls at 10:00 on each of 20 days.
    s.store(
      Array.from({ length: 100 }, (_, i) =>
        event({ time: T0 - (20 - Math.floor(i / 5)) * DAY + (i % 5) * MINUTE }),
      ),
    );
    s.engine().run();
    // An agent on her account from 10:30: 2 calls a minute for 3 hours, read every 5 minutes.
    const start = T0 + 30 * MINUTE;
    const agent = Array.from({ length: 360 }, (_, i) =>
      event({ time: start + i * 30_000, resource: `OPS-${i}` }),
    );
    for (let from = 0; from < agent.length; from += 10) {
      s.store(agent.slice(from, from + 10));
      s.engine().run();
    }
    expect(s.alerts().filter((a) => a.ruleId === "mcp-volume-spike")).toHaveLength(1);
  });

  it("raises on a new country after history elsewhere", () => {
    const s = setup();
    s.store([
      event({ time: T0 - 5 * 86_400_000 }),
      event({ country: "Brazil", ip: "198.51.100.7" }),
    ]);
    s.engine().run();
    expect(byRule(s.alerts())["mcp-new-location"]?.title).toBe(
      "MCP call by Alice Example from Brazil, not seen in 90 days",
    );
  });

  it("raises on a settings change found by the action's display name", () => {
    const s = setup();
    s.store([
      event({ isMcp: false, mcpBasis: null, tool: null, toolClass: null, action: "dsp_updated" }),
    ]);
    s.engine().run();
    expect(byRule(s.alerts())["mcp-settings-changed"]).toMatchObject({
      severity: "high",
      title: "Data security policy updated by Alice Example",
    });
  });

  it("flags alerts about events that arrived late", () => {
    const s = setup();
    s.store([event({ time: T0 - 3 * 60 * MINUTE, processedAt: T0 })]);
    s.engine().run();
    expect(s.alerts()[0]?.late).toBe(true);
  });

  it("flags alerts about events read hours after Atlassian processed them (an outage)", () => {
    const s = setup();
    const time = T0 - 6 * 60 * MINUTE;
    s.store([event({ id: "on-time", time: T0 - 30 * MINUTE, processedAt: T0 - 29 * MINUTE })], T0);
    const bob = person("acc-bob", "bob@example.com");
    s.store([event({ ...bob, id: "read-late", time, processedAt: time + MINUTE })], T0);
    s.engine().run();
    const late = (id: string) =>
      s
        .alerts()
        .find(
          (a) =>
            s.db.prepare("SELECT id FROM events WHERE seq = ?").pluck().get(a.firstEventSeq) === id,
        )?.late;
    expect([late("on-time"), late("read-late")]).toEqual([false, true]);
  });

  it("neither loses nor doubles alerts when it crashes between evaluation and commit", () => {
    const s = setup("minSeverity: low\n");
    s.store(
      Array.from({ length: 120 }, (_, i) =>
        event({ tool: "createJiraIssue", toolClass: "write", time: T0 + i * 20 * MINUTE }),
      ),
    );
    let batches = 0;
    const crashing = s.engine(s.config, () => {
      batches++;
      if (batches === 2) throw new Error("simulated crash before commit");
    });
    expect(() => crashing.run()).toThrow("simulated crash");
    const afterCrash = s.alerts().length;
    expect(afterCrash).toBe(50 + 1); // the first batch: 50 writes and Alice's first use
    s.engine().run();
    const all = s.alerts();
    expect(all.filter((a) => a.ruleId === "mcp-write")).toHaveLength(120);
    expect(new Set(all.map((a) => a.firstEventSeq)).size).toBe(120);
    s.engine().run();
    expect(s.alerts()).toHaveLength(all.length);
  });

  it("reports a failing run for health, and clears it when the rules run again", () => {
    const s = setup();
    s.store([event()]);
    const failing = s.engine(s.config, () => {
      throw new Error("disk I/O error");
    });
    expect(failing.runSafely()).toBeUndefined();
    expect(failing.failure()).toEqual({ message: "disk I/O error", at: T0 });
    expect(s.alerts()).toEqual([]);
    const healthy = s.engine();
    expect(healthy.runSafely()).toMatchObject({ raised: 1 });
    expect(healthy.failure()).toBeNull();
  });
});

describe("mutes and snoozes", () => {
  it("store and count a muted pattern's alerts without posting them, until the mute ends", () => {
    const s = setup();
    new MuteStore(s.db).add(
      "org-1",
      {
        ruleId: "mcp-first-use",
        userKey: "acc-snoozed",
        until: T0 + 4 * 60 * MINUTE,
        reason: "snoozed for 4 h by <@U1>",
      },
      "U1",
      T0,
    );
    s.store([event({ ...person("acc-snoozed", "s@example.com"), time: T0 + 60 * MINUTE })]);
    s.engine().run();
    s.store([event({ ...person("acc-later", "l@example.com"), time: T0 + 5 * 60 * MINUTE })]);
    s.engine().run();
    const [snoozed, later] = s.alerts();
    expect(snoozed).toMatchObject({
      ruleId: "mcp-first-use",
      userId: "acc-snoozed",
      suppressedBy: "snoozed for 4 h by <@U1>",
      notify: false,
    });
    expect(later).toMatchObject({ userId: "acc-later", suppressedBy: null, notify: true });
  });

  it("stop muting once the mute has ended", () => {
    const s = setup();
    new MuteStore(s.db).add(
      "org-1",
      {
        ruleId: "mcp-first-use",
        userKey: "acc-snoozed",
        until: T0 + 60 * MINUTE,
        reason: "snoozed for 1 h by <@U1>",
      },
      "U1",
      T0,
    );
    s.store([event({ ...person("acc-snoozed", "s@example.com"), time: T0 + 2 * 60 * MINUTE })]);
    s.engine().run();
    expect(s.alerts()[0]).toMatchObject({ suppressedBy: null, notify: true });
  });

  it("cover no call made more than an hour before the mute was set, even stored after it", () => {
    const s = setup();
    new MuteStore(s.db).add(
      "org-1",
      {
        ruleId: "mcp-first-use",
        userKey: "acc-snoozed",
        until: T0 + 4 * 60 * MINUTE,
        reason: "snoozed for 4 h by <@U1>",
      },
      "U1",
      T0 + 90 * MINUTE,
    );
    // Stored after the mute was set, made 61 minutes before it.
    s.store(
      [event({ ...person("acc-snoozed", "s@example.com"), time: T0 + 29 * MINUTE })],
      T0 + 91 * MINUTE,
    );
    s.clock.advance(91 * MINUTE);
    s.engine().run();
    expect(s.alerts()[0]).toMatchObject({ suppressedBy: null, notify: true });
  });

  it("cover a call made seconds before the click and polled after it: the activity judged", () => {
    const s = setup();
    const stores = repositories(s.db);
    const alice = person("acc-alice", "alice@example.com");
    const del = (seconds: number) =>
      event({
        ...alice,
        tool: "deleteJiraIssue",
        toolClass: "destructive",
        time: T0 + seconds * 1000,
      });
    s.store([del(0)]);
    s.engine().run();
    const first = s.alerts().find((a) => a.ruleId === "mcp-destructive");
    // 10:01:00: "Expected, mute 7 days", as the triage writes it.
    const click = T0 + MINUTE;
    stores.trail.change("org-1", first?.id ?? 0, "expected", "URESP", click, () => true);
    stores.mutes.add(
      "org-1",
      {
        ruleId: "mcp-destructive",
        userKey: "acc-alice",
        until: click + 7 * DAY,
        reason: "marked expected by <@URESP>, muted for 7 days",
      },
      "URESP",
      click,
    );
    // 10:01:30: the next poll stores the deletes made at 10:00:50 and 10:01:10.
    s.store([del(50), del(70)], T0 + 90_000);
    s.engine().run();
    const later = s.alerts().filter((a) => a.ruleId === "mcp-destructive" && a.id !== first?.id);
    expect(later.length).toBeGreaterThan(0);
    expect(later).toEqual(
      later.map(() =>
        expect.objectContaining({
          notify: false,
          suppressedBy: "marked expected by <@URESP>, muted for 7 days",
        }),
      ),
    );
  });
});

describe("a mute ended early, in a replay of history", () => {
  it("keeps quiet what it kept quiet while it ran, as `rules test` replays it", () => {
    const s = setup();
    const alice = person("acc-alice", "alice@example.com");
    new MuteStore(s.db).add(
      "org-1",
      {
        ruleId: "mcp-destructive",
        userKey: "acc-alice",
        until: T0 + 7 * DAY,
        reason: "marked expected by <@URESP>, muted for 7 days",
      },
      "URESP",
      T0,
    );
    const del = event({
      ...alice,
      tool: "deleteJiraIssue",
      toolClass: "destructive",
      time: T0 + MINUTE,
    });
    s.store([del], T0 + 2 * MINUTE);
    s.engine().run();
    expect(s.alerts().find((a) => a.ruleId === "mcp-destructive")?.notify).toBe(false);
    // Undone a day later; replayed after that, the call is judged as when it was stored.
    new MuteStore(s.db).endFor("org-1", "acc-alice", T0 + DAY);
    s.clock.advance(2 * DAY);
    const sink = new MemorySink();
    s.engine().replay(new EventStore(s.db).iterate("org-1", 10).next().value ?? [], sink);
    expect(sink.posted().filter((p) => p.ruleId === "mcp-destructive")).toEqual([]);
  });
});

describe("suppressions responders added", () => {
  it("keep what happens after them quiet, saying who added them, until removed", () => {
    const s = setup("minSeverity: low\n");
    const suppressions = new SuppressionStore(s.db);
    const known = person("acc-known", "k@example.com");
    const write = (minutes: number) =>
      event({ ...known, tool: "editJiraIssue", toolClass: "write", time: T0 + minutes * MINUTE });
    suppressions.add(
      "org-1",
      {
        ruleId: "mcp-write",
        userKey: "acc-known",
        reason: "marked expected 3 times within 30 days",
        alertId: null,
      },
      "U1",
      T0 + 60 * MINUTE,
    );
    // Judged after the suppression was added. Made and stored before it: it alerts.
    s.clock.advance(120 * MINUTE);
    s.store([write(30)]);
    s.engine().run();
    s.store([write(120)]);
    s.engine().run();
    const writes = () => s.alerts().filter((a) => a.ruleId === "mcp-write");
    expect(writes()).toMatchObject([
      { suppressedBy: null, notify: true, eventCount: 1 },
      {
        suppressedBy: "suppressed by <@U1>: marked expected 3 times within 30 days",
        notify: false,
      },
    ]);
    suppressions.removeFor("org-1", "acc-known", "mcp-write", "U2", T0 + 150 * MINUTE);
    s.clock.advance(61 * MINUTE);
    s.store([write(180)], s.clock.now());
    s.engine().run();
    expect(writes().map((a) => [a.firstSeen, a.notify, a.suppressedBy !== null])).toEqual([
      [T0 + 30 * MINUTE, true, false],
      [T0 + 120 * MINUTE, false, true],
      [T0 + 180 * MINUTE, true, false],
    ]);
    expect(suppressions.list()).toEqual([]);
  });
});

describe("alert modes", () => {
  const posted = (s: ReturnType<typeof setup>, rule: string) =>
    s.alerts().filter((a) => a.ruleId === rule && a.notify);

  it("once: an account's first live API-token use alerts, saying how often the history had it; then the digest only", () => {
    const s = setup();
    s.store([
      tokenCall({ backfilled: true, time: T0 - 60 * MINUTE }),
      tokenCall({ backfilled: true, time: T0 - 50 * MINUTE }),
    ]);
    s.store([tokenCall({ time: T0 })]);
    s.engine().run();
    // Hours later, the same pattern: stored and counted, not posted.
    s.store([tokenCall({ time: T0 + 120 * MINUTE }), tokenCall({ time: T0 + 240 * MINUTE })]);
    s.engine().run();
    const all = s.alerts().filter((a) => a.ruleId === "mcp-api-token");
    expect(posted(s, "mcp-api-token")).toHaveLength(1);
    expect(posted(s, "mcp-api-token")[0]?.detail).toMatchObject({ seenInHistory: 2 });
    const quiet = all.filter((a) => !a.notify);
    expect(quiet.length).toBeGreaterThan(0);
    expect(quiet[0]?.suppressedBy).toMatch(
      /^already alerted about this account and pattern of use \(alert \d+\): in the digest only$/,
    );
  });

  it("once: after an alert is marked true positive, the same use alerts again (the token is stolen)", () => {
    const s = setup();
    s.store([tokenCall({ time: T0 })]);
    s.engine().run();
    const [confirmed] = posted(s, "mcp-api-token");
    repositories(s.db).trail.change(
      "org-1",
      confirmed?.id ?? 0,
      "true_positive",
      "URESP",
      T0 + MINUTE,
      () => true,
    );
    s.store([tokenCall({ time: T0 + 30 * MINUTE }), tokenCall({ time: T0 + 36 * MINUTE })]);
    s.engine().run();
    const again = posted(s, "mcp-api-token").filter((a) => a.id !== confirmed?.id);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ status: "open", suppressedBy: null, eventCount: 2 });
  });

  it("once: alerts again when the account's pattern changes: a new class of tool, a new site, a spike", () => {
    const s = setup();
    s.store([tokenCall({ time: T0 })]);
    s.engine().run();
    s.store([tokenCall({ time: T0 + 120 * MINUTE, tool: "createJiraIssue", toolClass: "write" })]);
    s.engine().run();
    s.store([tokenCall({ time: T0 + 240 * MINUTE, siteHost: "acme-eng.atlassian.net" })]);
    s.engine().run();
    // 120 calls in an hour the next day, where it made 3 in the week before.
    s.store(
      Array.from({ length: 120 }, (_, i) =>
        tokenCall({ time: T0 + DAY + 360 * MINUTE + i * 20_000 }),
      ),
    );
    s.engine().run();
    const titles = posted(s, "mcp-api-token").map((a) => a.firstSeen);
    expect(titles).toHaveLength(4);
  });

  it("once: a new pattern within the grouping window is an alert of its own; the same pattern again grows its alert", () => {
    const s = setup();
    s.store([
      tokenCall({ time: T0 }),
      tokenCall({ time: T0 + 2 * MINUTE }),
      tokenCall({ time: T0 + 4 * MINUTE, tool: "createJiraIssue", toolClass: "write" }),
      tokenCall({ time: T0 + 6 * MINUTE, tool: "createJiraIssue", toolClass: "write" }),
    ]);
    s.engine().run();
    expect(posted(s, "mcp-api-token").map((a) => [a.firstSeen, a.eventCount])).toEqual([
      [T0, 2],
      [T0 + 4 * MINUTE, 2],
    ]);
  });

  it("group: one destructive alert a day per person, each call growing it", () => {
    const s = setup();
    const deletes = [0, 3, 20, 25].map((h) =>
      event({ tool: "deleteJiraIssue", toolClass: "destructive", time: T0 + h * 60 * MINUTE }),
    );
    s.store(deletes);
    s.engine().run();
    const alerts = posted(s, "mcp-destructive");
    expect(alerts.map((a) => a.eventCount)).toEqual([3, 1]);
  });

  it("group: a newcomer's first call and their first on other sites and products are one alert", () => {
    const s = setup();
    const at = (minutes: number, over: Partial<NormalizedEvent> = {}) =>
      event({ ...person("acc-new", "new@example.com"), time: T0 + minutes * MINUTE, ...over });
    s.store([
      at(0),
      at(13, { siteHost: "other.atlassian.net" }),
      at(90, { product: "confluence", tool: "getConfluencePage" }),
      at(25 * 60, { siteHost: "third.atlassian.net" }), // the next day: an alert of its own
    ]);
    s.engine().run();
    const alerts = posted(s, "mcp-first-use");
    expect(alerts.map((a) => [a.title, a.eventCount])).toEqual([
      ["First MCP call by new@example.com", 3],
      ["new@example.com's first MCP call on third.atlassian.net", 1],
    ]);
  });

  it("digest: stored and counted, never posted", () => {
    const s = setup("minSeverity: low\nrules:\n  mcp-write: { mode: digest }\n");
    s.store([event({ tool: "createJiraIssue", toolClass: "write" })]);
    s.engine().run();
    expect(s.alerts().find((a) => a.ruleId === "mcp-write")).toMatchObject({
      notify: false,
      suppressedBy: null,
    });
  });

  it("new-location compares with earlier calls that had a place only", () => {
    const s = setup();
    s.store([
      event({ country: null, ip: null }),
      event({ country: null, ip: null, time: T0 + MINUTE }),
    ]);
    s.engine().run();
    s.store([event({ country: "Ireland", time: T0 + 2 * MINUTE })]);
    s.engine().run();
    expect(s.alerts().filter((a) => a.ruleId === "mcp-new-location")).toEqual([]);
    s.store([event({ country: "Brazil", time: T0 + 3 * MINUTE })]);
    s.engine().run();
    expect(posted(s, "mcp-new-location").map((a) => a.title)).toEqual([
      "MCP call by Alice Example from Brazil, not seen in 90 days",
    ]);
  });

  it("once per person and new country within 30 days", () => {
    const s = setup();
    const from = (country: string, days: number) =>
      event({ country, time: T0 + days * 86_400_000 });
    s.store([from("Germany", 0)]);
    s.engine().run();
    s.store([from("Brazil", 1), from("Brazil", 2), from("Brazil", 10), from("Brazil", 40)]);
    s.engine().run();
    expect(
      posted(s, "mcp-new-location").map((a) => Math.round((a.firstSeen - T0) / 86_400_000)),
    ).toEqual([1]);
  });
});
