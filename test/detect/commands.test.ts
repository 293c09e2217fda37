import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { openStore } from "../../src/store/open.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";
import { tempDir } from "../helpers/tmp.js";
import { event, person, setup } from "./engine-rig.js";

describe("rules check", () => {
  it("prints the effective configuration of a valid file, defaults included", async () => {
    const path = join(tempDir(), "rules.yml");
    writeFileSync(path, "rules:\n  mcp-burst: { calls: 20 }\n");
    const result = await runCli(["rules", "check", path], {});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`# ${path}: valid.`);
    expect(result.stdout).toMatch(
      /mcp-burst:\n\s+enabled: true\n\s+severity: high\n\s+mode: alert\n\s+calls: 20\n\s+windowMinutes: 10/,
    );
    expect(result.stdout).toContain("minSeverity: medium");
  });

  it("accepts the documented example, every key of it", async () => {
    const result = await runCli(["rules", "check", "docs/rules.example.yml"], {
      DATABASE_PATH: join(tempDir(), "none.db"),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /mcp-destructive:\n(\s+\w+: .+\n)*?\s+mode: group\n\s+windowHours: 8/,
    );
    expect(result.stdout).toMatch(/^# no database at .+: no suppressions added by responders$/m);
  });

  it("says a suppression naming a wrapper quiets none of the tools run through it", async () => {
    const path = join(tempDir(), "rules.yml");
    writeFileSync(
      path,
      "suppressions:\n  - { tool: createJiraIssue, reason: triage }\n  - { tool: executeWrite, reason: agent }\n  - { tool: ExecuteWrite, reason: agent }\n",
    );
    const result = await runCli(["rules", "check", path], {});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.match(/^# suppressions\.\d.*$/gm)).toEqual([
      "# suppressions.1: executeWrite is a wrapper: this suppression quiets only its calls that name no operation, not the tools run through it (name those, such as tool: createJiraIssue)",
      "# suppressions.2: ExecuteWrite is a wrapper: this suppression quiets only its calls that name no operation, not the tools run through it (name those, such as tool: createJiraIssue)",
    ]);
  });

  it("points at the rules file's keys when the file named cannot be read", async () => {
    const missing = join(tempDir(), "missing.yml");
    const result = await runCli(["rules", "check", missing], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the rules file ${missing} cannot be read`);
    expect(result.stderr).toContain("See docs/rules.md#the-rules-file for every key");
    expect(result.stderr).not.toContain(".env.example");
  });

  it("exits 2 with the path of each problem", async () => {
    const path = join(tempDir(), "rules.yml");
    writeFileSync(
      path,
      "rules:\n  mcp-burst: { calls: zero, windowMinute: 5 }\n  mcp-writ: {}\nworkingHours: { star: '08:00' }\n",
    );
    const result = await runCli(["rules", "check", path], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("rules.mcp-burst.calls: expected a positive integer");
    expect(result.stderr).toContain(
      'rules.mcp-burst: unknown key "windowMinute": did you mean windowMinutes?',
    );
    expect(result.stderr).toContain("rules.mcp-writ: unknown rule (did you mean mcp-write?)");
    expect(result.stderr).toContain('workingHours: unknown key "star": did you mean start?');
    expect(result.stderr).toContain("See docs/rules.md#the-rules-file for every key");
    expect(result.stderr).not.toContain(".env.example");
  });

  it("refuses turning off a canary or the posture, which only a suppression naming them quiets", async () => {
    const path = join(tempDir(), "rules.yml");
    writeFileSync(
      path,
      "rules:\n  mcp-canary: { enabled: false }\nwatch:\n  - { issue: SEC-1, canary: true }\n",
    );
    const result = await runCli(["rules", "check", path], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "rules.mcp-canary.enabled: mcp-canary is always on: only a suppression naming it quiets its alerts: write { reason: …, rule: mcp-canary } under suppressions instead",
    );
  });

  it("names the file it was given when it cannot read it", async () => {
    const result = await runCli(["rules", "check", "nosuch.yml"], {
      DATABASE_PATH: join(tempDir(), "none.db"),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("the rules file nosuch.yml cannot be read: ENOENT");
    expect(result.stderr).not.toContain("RULES_FILE nosuch.yml");
  });

  it("names the file it was given, not RULES_FILE, in each problem of that file", async () => {
    const dir = tempDir();
    const [set, named] = [join(dir, "a.yml"), join(dir, "b.yml")];
    writeFileSync(set, "minSeverity: loud\n");
    const env = { RULES_FILE: set, DATABASE_PATH: join(dir, "none.db") };
    writeFileSync(named, "rules: [1, 2\n");
    const unreadable = await runCli(["rules", "check", named], env);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain(`- the rules file ${named} is not valid YAML`);
    writeFileSync(named, "minSeverity: loud\n");
    const invalid = await runCli(["rules", "check", named], env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(
      `- the rules file ${named}: minSeverity: expected one of info, low, medium, high`,
    );
    expect(invalid.stderr).not.toContain(set);
  });

  it("reads an empty RULES_FILE as start does: unset, the defaults", async () => {
    const result = await runCli(["rules", "check"], {
      RULES_FILE: "",
      DATABASE_PATH: join(tempDir(), "none.db"),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("# no RULES_FILE set: valid.");
  });

  it("says a bad variable before saying the file is valid", async () => {
    const path = join(tempDir(), "rules.yml");
    writeFileSync(path, "minSeverity: high\n");
    const result = await runCli(["rules", "check", path], { RETENTION_DAYS: "abc" });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("RETENTION_DAYS");
  });

  it("refuses --days, which only test takes, rather than dropping it", async () => {
    const result = await runCli(["rules", "check", "--days", "3"], {});
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      "--days goes with test: check reads the rules file, it replays nothing",
    );
  });

  it("rejects an unknown action", async () => {
    const result = await runCli(["rules", "frobnicate"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown rules action "frobnicate"');
  });
});

describe("rules test", () => {
  it("says how to try it before the bot stored anything, without touching the bot's file", async () => {
    const path = join(tempDir(), "empty.db");
    expect((await runCli(["migrate"], { DATABASE_PATH: path })).code).toBe(0);
    const result = await runCli(["rules", "test"], { DATABASE_PATH: path });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "no events stored yet: the bot stores them as it runs; to try this first, read the history into a file of its own: DATABASE_PATH=./trial.db mcp-activity poll --once",
    );
  });

  it("replays stored history through the rules without storing an alert", async () => {
    const { env, path } = await simulatedOrg(3000);
    const poll = await runCli(["poll", "--once"], env);
    expect(poll.code, poll.stderr).toBe(0);
    expect(poll.stdout).toContain("alerts: 0 stored"); // history never alerts

    const replay = await runCli(["rules", "test", "--days", "30"], { DATABASE_PATH: path });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain("org-cli: 3000 events of the last 30 day(s) replayed");
    // Two days stored: the first teaches the rules who and what is usual, and is not counted.
    expect(replay.stdout).toMatch(
      /^the first day stored \(from [\d-]+T[\d:]+Z\) has no history before it, .* counted from [\d-]+T[\d:]+Z$/m,
    );
    const writes = /^mcp-write\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(replay.stdout);
    expect(Number(writes?.[2])).toBeGreaterThan(0);
    expect(replay.stdout).toMatch(/^mcp-off-hours\s+\(off\)\s+0\s+0\s+0\s+0$/m);
    // What the channel would have got: messages a day, the budget, the verdict. The days counted
    // are the time from a day after the first event stored to now: under 3, to a tenth.
    expect(replay.stdout).toMatch(
      /^channel: \d+ message\(s\) in [0-2](\.\d)? day\(s\); budget of 10 alerts an hour: (no hour went over it|\d+ alert\(s\) went into \d+ hourly roll-up message\(s\) instead)$/m,
    );
    expect(replay.stdout).toMatch(
      /^(readable|too noisy): \d+\.\d messages a day on average, the worst day \d+ on \d{4}-\d\d-\d\d/m,
    );
    // The days asked start a little after the first event stored: that day still teaches.
    const two = await runCli(["rules", "test", "--days", "2"], { DATABASE_PATH: path });
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toMatch(/^the first day stored \(from [\d-]+T[\d:]+Z\) has no history/m);
    const after = await runCli(["poll", "--once"], env);
    expect(after.stdout).toContain("alerts: 0 stored");
  }, 60_000);

  it("keeps quiet, as the bot did, about a subject a `once` rule alerted about before the days replayed", async () => {
    // An API-token account that reads Jira every day: the bot alerted on its first use ten days
    // ago and has kept it in the digest since (mcp-api-token: once, for good).
    const now = Date.now();
    const s = setup("", now - 10 * DAY);
    const account = {
      ...person("acc-svc", "svc@serviceaccount.atlassian.com"),
      authKind: "api-token" as const,
      authType: "api-token",
      tokenLabel: "nightly-report",
      tool: "getJiraIssue",
      toolClass: "read" as const,
    };
    for (let day = 10; day >= 1; day--) {
      const time = now - day * DAY;
      s.clock.advance(time + MINUTE - s.clock.now());
      s.store(
        [withToolItem(event({ ...account, time, processedAt: time + 5_000 }))],
        time + MINUTE,
      );
      s.engine().run();
    }
    const posted = s.alerts().filter((a) => a.ruleId === "mcp-api-token" && a.notify);
    expect(posted.map((a) => a.firstSeen)).toEqual([now - 10 * DAY]);
    s.db.close();

    const replay = await runCli(["rules", "test", "--days", "3"], { DATABASE_PATH: s.path });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).not.toContain("classified otherwise");
    // Its findings of these days, each quieted: the bot posted none of them.
    expect(replay.stdout).toMatch(/^mcp-api-token\s+\d+\s+[1-9]\d*\s+0\s+\d+$/m);
  });

  it("classifies the stored calls by the rules file's tools, and says when that is not how they are stored", async () => {
    const { env, path } = await simulatedOrg(3000);
    const poll = await runCli(["poll", "--once"], env);
    expect(poll.code, poll.stderr).toBe(0);
    // The write tool the simulated organization calls most, which the file calls destructive.
    const db = openStore(path);
    const tool = db
      .prepare<[], { tool: string }>(
        "SELECT tool FROM events WHERE tool_class = 'write' GROUP BY tool ORDER BY count(*) DESC LIMIT 1",
      )
      .get()?.tool;
    db.close();
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, `tools:\n  ${tool}: { class: destructive }\n`);
    const env2 = { DATABASE_PATH: path, RULES_FILE: rules };
    const destructive = (out: string) => /^mcp-destructive\s+\d+\s+(\d+)/m.exec(out)?.[1];

    const before = await runCli(["rules", "test", "--days", "30"], env2);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toMatch(
      /^\d+ of them are classified otherwise by this rules file \(its tools and mcpActionKeys\) than as stored: replayed as the file classifies them; `mcp-activity reclassify` with this RULES_FILE stores that$/m,
    );
    const re = await runCli(["reclassify", "--force"], env2);
    expect(re.code, re.stderr).toBe(0);
    const after = await runCli(["rules", "test", "--days", "30"], env2);
    expect(after.stdout).not.toContain("classified otherwise");
    // The same file, the same events: the same answer, stored that way or not.
    expect(Number(destructive(after.stdout))).toBeGreaterThan(0);
    expect(destructive(before.stdout)).toBe(destructive(after.stdout));
  }, 60_000);
});

/** The event with its tool named in the raw JSON, as Atlassian does: classified again, the same. */
function withToolItem(e: NormalizedEvent): NormalizedEvent {
  const raw = JSON.parse(e.raw);
  raw.attributes.context.unshift({ type: "mcp-tool", attributes: { name: e.tool } });
  return { ...e, raw: JSON.stringify(raw) };
}
