/**
 * What keeps an alert out of the channel, and what nothing may: the rules file's suppressions
 * without `rule`, responders' mutes and suppressions on the rules never quieted, and a replay of
 * a suppression a responder removed. A real SQLite file, the engine on a virtual clock.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MemorySink } from "../../src/detect/replay.js";
import { EventStore } from "../../src/store/events.js";
import { MuteStore } from "../../src/store/mutes.js";
import { SuppressionStore } from "../../src/store/suppressions.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { event, person, setup } from "./engine-rig.js";
import { T0 } from "./fixtures.js";

describe("the example rules file", () => {
  it("keeps a new person's first MCP call, a posture contradiction and a watched project in the channel", () => {
    const s = setup(readFileSync("docs/rules.example.yml", "utf8"));
    const alice = person("acc-alice", "alice@example.com");
    // Weeks of ordinary reads: the organization has MCP history.
    s.store(
      [0, 1, 2].map((d) => event({ ...alice, time: T0 - (20 - d) * DAY })),
      T0 - 20 * DAY,
    );
    s.engine().run();
    // Mallory, never seen before, creates an issue in the watched SEC project with the tool the
    // example's triage agent uses; the declared posture allows Jira read and search only.
    const mallory = person("acc-mallory", "mallory@example.com");
    s.clock.advance(HOUR);
    const call = { tool: "createJiraIssue", toolClass: "write" as const, resource: "SEC-7" };
    s.store([event({ ...mallory, ...call, time: T0 + 30 * MINUTE })], T0 + 31 * MINUTE);
    s.engine().run();
    const about = s.alerts().filter((a) => a.userId === "acc-mallory");
    const reasons = Object.fromEntries(about.map((a) => [a.ruleId, a.suppressedBy]));
    expect(reasons).toMatchObject({
      "mcp-first-use": null,
      "mcp-posture-drift": null,
      "mcp-watched-place": null,
    });
  });

  it("lets a suppression without `rule` cover the other rules, and one naming a rule cover it", () => {
    const s = setup(
      [
        "minSeverity: low",
        "watch: [{ project: SEC }]",
        "suppressions:",
        "  - { tool: createJiraIssue, reason: triage agent }",
        "  - { actor: bob@example.com, rule: mcp-first-use, reason: pilot }",
      ].join("\n"),
    );
    const call = { tool: "createJiraIssue", toolClass: "write" as const, resource: "SEC-7" };
    s.store([
      event({ ...person("acc-carol", "carol@example.com"), ...call }),
      event({ ...person("acc-bob", "bob@example.com"), time: T0 + MINUTE }),
    ]);
    s.engine().run();
    const found = s.alerts().map((a) => [a.ruleId, a.userId, a.suppressedBy]);
    expect(found).toEqual(
      expect.arrayContaining([
        ["mcp-first-use", "acc-carol", null],
        ["mcp-watched-place", "acc-carol", null],
        ["mcp-write", "acc-carol", "triage agent"],
        ["mcp-first-use", "acc-bob", "pilot"],
      ]),
    );
  });
});

describe("a suppression's tool", () => {
  it("is the tool that ran: the operation a wrapper ran, else the tool called", () => {
    const s = setup(
      [
        "suppressions:",
        "  - { actor: triage-bot@example.com, tool: createJiraIssue, rule: mcp-write, reason: triage agent }",
        "  - { tool: executeWrite, reason: the wrapper alone }",
      ].join("\n"),
    );
    const bot = person("acc-triage", "triage-bot@example.com");
    // Weeks of history: the bot is no newcomer.
    s.store([event({ ...bot, time: T0 - 20 * DAY })], T0 - 20 * DAY);
    s.engine().run();
    const wrapped = { tool: "executeWrite", toolClass: "write" as const };
    s.store([
      event({ ...bot, tool: "createJiraIssue", toolClass: "write", resource: "OPS-2", time: T0 }),
      event({ ...bot, ...wrapped, innerTool: "createJiraIssue", time: T0 + 30 * MINUTE }),
      event({ ...bot, ...wrapped, innerTool: null, time: T0 + 2 * HOUR }),
      event({
        ...bot,
        ...wrapped,
        innerTool: "deleteJiraIssue",
        toolClass: "destructive",
        time: T0 + 4 * HOUR,
      }),
    ]);
    s.engine().run();
    const found = s
      .alerts()
      .filter((a) => a.ruleId === "mcp-write" || a.ruleId === "mcp-destructive")
      .map((a) => [a.ruleId, a.tools, a.suppressedBy]);
    expect(found).toEqual([
      ["mcp-write", ["createJiraIssue"], "triage agent"],
      ["mcp-write", ["executeWrite → createJiraIssue"], "triage agent"],
      ["mcp-write", ["executeWrite"], "the wrapper alone"],
      ["mcp-destructive", ["executeWrite → deleteJiraIssue"], null],
    ]);
  });
});

describe("rules no button quiets", () => {
  it("raise a canary read though a mute and a suppression of its rule about the person are stored", () => {
    const s = setup("watch: [{ issue: SEC-1, canary: true }]\n");
    const eve = person("acc-eve", "eve@example.com");
    s.store([event({ ...eve, time: T0 - DAY })], T0 - DAY);
    s.engine().run();
    // Stored by an earlier release's buttons, or a crafted request.
    new MuteStore(s.db).add(
      "org-1",
      { ruleId: "mcp-canary", userKey: "acc-eve", until: T0 + 30 * DAY, reason: "muted 30 days" },
      "U1",
      T0 - HOUR,
    );
    new SuppressionStore(s.db).add(
      "org-1",
      { ruleId: "mcp-canary", userKey: "acc-eve", reason: "expected", alertId: null },
      "U1",
      T0 - HOUR,
    );
    s.store([event({ ...eve, resource: "SEC-1", time: T0 })]);
    s.engine().run();
    const canary = s.alerts().filter((a) => a.ruleId === "mcp-canary");
    expect(canary).toMatchObject([{ suppressedBy: null, notify: true }]);
  });
});

/** A store where Alice made one MCP call the day before: what a tool or an AI tool is new against. */
function aliceWithHistory() {
  const s = setup();
  const alice = person("acc-alice", "alice@example.com");
  s.store([event({ ...alice, time: T0 - DAY, backfilled: true })], T0 - DAY);
  s.engine().run();
  return { s, alice };
}

describe("a finding about the organization", () => {
  it("is quieted by no mute or suppression a responder set for the person who made the call", () => {
    const { s, alice } = aliceWithHistory();
    const quiet = { ruleId: "mcp-first-use", userKey: "acc-alice" };
    new SuppressionStore(s.db).add(
      "org-1",
      { ...quiet, reason: "marked expected 3 times", alertId: null },
      "U1",
      T0 - HOUR,
    );
    new MuteStore(s.db).add(
      "org-1",
      { ...quiet, until: T0 + 30 * DAY, reason: "muted 30 days" },
      "U1",
      T0 - HOUR,
    );
    s.store([
      event({ ...alice, siteHost: "acme-eng.atlassian.net", time: T0 }),
      event({ ...alice, clientApp: "Unknown Agent 0.1", time: T0 + MINUTE }),
    ]);
    s.engine().run();
    const firstUse = s.alerts().filter((a) => a.ruleId === "mcp-first-use");
    expect(firstUse.map((a) => [a.detail.scope, a.notify, a.suppressedBy !== null])).toEqual([
      ["site", false, true],
      ["app", true, false],
    ]);
  });
});

describe("a tool new to the organization", () => {
  it("is quieted by no mute a responder set for the person who used it first", () => {
    const { s, alice } = aliceWithHistory();
    new MuteStore(s.db).add(
      "org-1",
      { ruleId: "mcp-new-tool", userKey: "acc-alice", until: T0 + 7 * DAY, reason: "muted 7 days" },
      "U1",
      T0 - HOUR,
    );
    s.store([event({ ...alice, tool: "jiraBulkOps", toolClass: null, time: T0 })]);
    s.engine().run();
    const fresh = s.alerts().filter((a) => a.ruleId === "mcp-new-tool");
    expect(fresh.map((a) => [a.title, a.notify, a.suppressedBy])).toEqual([
      ["New MCP tool jiraBulkOps (unknown class) used by alice@example.com", true, null],
    ]);
  });

  it("and another the same person used within the grouping window make one alert", () => {
    const { s, alice } = aliceWithHistory();
    s.store([
      event({ ...alice, tool: "jiraBulkOps", toolClass: null, time: T0 }),
      event({ ...alice, tool: "jiraBulkDelete", toolClass: "destructive", time: T0 + MINUTE }),
    ]);
    s.engine().run();
    const fresh = s.alerts().filter((a) => a.ruleId === "mcp-new-tool");
    expect(fresh.map((a) => [a.tools, a.eventCount])).toEqual([
      [["jiraBulkOps", "jiraBulkDelete"], 2],
    ]);
  });
});

describe("a replay of what responders quieted", () => {
  it("replays a suppression a responder removed as it was, like an ended mute", () => {
    const s = setup("minSeverity: low\n");
    const write = (who: string) =>
      event({
        ...person(who, `${who}@example.com`),
        tool: "editJiraIssue",
        toolClass: "write",
        time: T0 + 30 * MINUTE,
      });
    const suppressions = new SuppressionStore(s.db);
    const mutes = new MuteStore(s.db);
    const quiet = { reason: "marked expected 3 times", alertId: null };
    suppressions.add("org-1", { ruleId: "mcp-write", userKey: "acc-known", ...quiet }, "U1", T0);
    const muted = { ruleId: "mcp-write", userKey: "acc-other", until: T0 + 30 * DAY };
    mutes.add("org-1", { ...muted, reason: "muted 30 days" }, "U1", T0);
    s.store([write("acc-known"), write("acc-other")], T0 + 31 * MINUTE);
    s.clock.advance(31 * MINUTE);
    s.engine().run();
    expect(s.alerts().filter((a) => a.ruleId === "mcp-write" && a.notify)).toEqual([]);
    // A day later a responder removes the suppression, another ends the mute.
    suppressions.removeFor("org-1", "acc-known", "mcp-write", "U2", T0 + DAY);
    mutes.endFor("org-1", "acc-other", T0 + DAY);
    s.clock.advance(2 * DAY);
    const sink = new MemorySink();
    s.engine().replay([...new EventStore(s.db).iterate("org-1", 1_000)].flat(), sink);
    expect(sink.posted().filter((p) => p.ruleId === "mcp-write")).toEqual([]);
  });
});
