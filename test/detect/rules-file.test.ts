import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { effectiveRules } from "../../src/detect/effective-rules.js";
import { suppressionFor } from "../../src/detect/judge.js";
import { RULES } from "../../src/detect/rules/index.js";
import { DEFAULT_RULES_FILE, parseRulesText } from "../../src/detect/rules-file.js";
import { ConfigError } from "../../src/errors.js";
import { loadRulesFile } from "../../src/load-rules.js";
import { tempDir } from "../helpers/tmp.js";
import { mcpEvent } from "./fixtures.js";

function problems(text: string, source = "rules.yml"): string[] {
  try {
    parseRulesText(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error("expected a ConfigError");
}

describe("rules file", () => {
  it("has defaults for everything", () => {
    expect(DEFAULT_RULES_FILE).toMatchObject({
      minSeverity: "medium",
      groupingWindowMinutes: 10,
      mcpActionKeys: [],
      suppressions: [],
      maxAlertsPerHour: 10,
      workingHours: {
        timezone: "UTC",
        days: ["mon", "tue", "wed", "thu", "fri"],
        start: "09:00",
        end: "18:00",
      },
    });
    expect(DEFAULT_RULES_FILE.rules["mcp-burst"]).toEqual({
      enabled: true,
      severity: "high",
      mode: { kind: "alert" },
      settings: { calls: 50, windowMinutes: 10, distinctResources: 100 },
    });
    // The modes a real organization needs: each said in docs/rules.md.
    expect(DEFAULT_RULES_FILE.rules["mcp-api-token"]?.mode).toEqual({ kind: "once", days: null });
    expect(DEFAULT_RULES_FILE.rules["mcp-destructive"]?.mode).toEqual({
      kind: "group",
      windowHours: 24,
    });
    expect(DEFAULT_RULES_FILE.rules["mcp-new-location"]?.mode).toEqual({ kind: "once", days: 30 });
    expect(DEFAULT_RULES_FILE.rules["mcp-off-hours"]?.enabled).toBe(false);
    expect(Object.keys(DEFAULT_RULES_FILE.rules)).toEqual(RULES.map((rule) => rule.id));
    expect(DEFAULT_RULES_FILE.watch).toEqual([]);
  });

  it("takes each rule's alert mode, completing it with the rule's defaults", () => {
    const rules = parseRulesText(
      [
        "rules:",
        "  mcp-write: { mode: digest }",
        "  mcp-destructive: { windowHours: 4 }",
        "  mcp-api-token: { mode: once, onceDays: 7 }",
        "  mcp-burst: { mode: group }",
        "maxAlertsPerHour: 3",
      ].join("\n"),
      "r.yaml",
    );
    expect(rules.rules["mcp-write"]?.mode).toEqual({ kind: "digest" });
    expect(rules.rules["mcp-destructive"]?.mode).toEqual({ kind: "group", windowHours: 4 });
    expect(rules.rules["mcp-api-token"]?.mode).toEqual({ kind: "once", days: 7 });
    expect(rules.rules["mcp-burst"]?.mode).toEqual({ kind: "group", windowHours: 24 });
    expect(rules.maxAlertsPerHour).toBe(3);
    expect(problems("rules:\n  mcp-write: { mode: sometimes, windowHours: 0 }\n")).toEqual([
      "RULES_FILE rules.yml: rules.mcp-write.mode: expected alert, group, once or digest",
      "RULES_FILE rules.yml: rules.mcp-write.windowHours: expected a positive integer",
    ]);
  });

  it("reads YAML and JSON, an empty rule entry included", () => {
    const yaml = parseRulesText(
      "rules:\n  mcp-write:\n  mcp-burst: { calls: 20 }\nminSeverity: low\n",
      "r.yaml",
    );
    expect(yaml.rules["mcp-burst"]?.settings).toEqual({
      calls: 20,
      windowMinutes: 10,
      distinctResources: 100,
    });
    expect(yaml.minSeverity).toBe("low");
    const json = parseRulesText('{"rules": {"mcp-write": {"enabled": false}}}', "r.json");
    expect(json.rules["mcp-write"]?.enabled).toBe(false);
  });

  it.each([
    ["rules:\n  mcp-burst: { calls: -2 }\n", "rules.mcp-burst.calls: expected a positive integer"],
    [
      "rules:\n  mcp-burst: { calls: 10, window: 5 }\n",
      'rules.mcp-burst: unknown key "window": the keys are calls, windowMinutes, distinctResources, enabled, severity, mode',
    ],
    [
      "rules:\n  mcp-burst:\n    windowMinute: 5\n",
      'rules.mcp-burst: unknown key "windowMinute": did you mean windowMinutes?',
    ],
    [
      "rules:\n  mcp-burst:\n    treshold: 20\n",
      'rules.mcp-burst: unknown key "treshold": the keys are calls, windowMinutes,',
    ],
    [
      "rules:\n  mcp-write: { severty: high, x: 1, y: 2 }\n",
      'rules.mcp-write: unknown key "severty": did you mean severity?; unknown keys "x", "y": the keys are enabled, severity, mode',
    ],
    // A mode's own key is named only under that mode: under another the file is refused with it.
    [
      "rules:\n  mcp-burst:\n    windowHour: 5\n",
      'rules.mcp-burst: unknown key "windowHour": windowHours applies with mode: group',
    ],
    [
      "rules:\n  mcp-first-use:\n    windowHour: 5\n",
      'rules.mcp-first-use: unknown key "windowHour": did you mean windowHours?',
    ],
    [
      "workingHours:\n  timezone: Europe/Berlin\n  star: '08:00'\n",
      'workingHours: unknown key "star": did you mean start?',
    ],
    [
      "tools:\n  jira_export: { clas: read }\n",
      'tools.jira_export: unknown key "clas": did you mean class?',
    ],
    ["watch:\n  - { spaec: HR }\n", 'watch.0: unknown key "spaec": did you mean space?'],
    [
      "suppressions:\n  - { tool: x, reason: y, untill: 2026-12-31 }\n",
      'suppressions.0: unknown key "untill": did you mean until?',
    ],
    [
      "rules:\n  mcp-write: { severity: urgent }\n",
      "rules.mcp-write.severity: expected one of info, low, medium, high",
    ],
    ["rules:\n  mcp-writes: {}\n", "rules.mcp-writes: unknown rule (did you mean mcp-write?)"],
    ["rules:\n  zzz: {}\n", "rules.zzz: unknown rule (expected one of mcp-app-authorized, "],
    ["minSeverity: loud\n", "minSeverity: expected one of info, low, medium, high"],
    [
      "workingHours: { timezone: Mars/Base }\n",
      "workingHours.timezone: expected an IANA time zone",
    ],
    ["workingHours: { start: '9am' }\n", 'workingHours.start: expected a time such as "09:00"'],
    [
      "workingHours: { start: '00:00', end: '00:00' }\n",
      "workingHours.end: start and end are the same time, so the working hours hold none",
    ],
    ["workingHours: { days: [] }\n", "workingHours.days: expected one working day at least"],
    ["groupingWindowMinutes: 100000\n", "groupingWindowMinutes: expected at most 1440 minutes"],
    [
      "rules:\n  mcp-burst: { windowMinutes: 100000 }\n",
      "rules.mcp-burst.windowMinutes: expected at most 1440 minutes",
    ],
    [
      "rules:\n  mcp-new-location: { lookbackDays: 100000 }\n",
      "rules.mcp-new-location.lookbackDays: expected at most 365 days",
    ],
    [
      "suppressions:\n  - { rule: mcp-write }\n",
      "suppressions.0.reason: every suppression needs a reason",
    ],
    [
      "suppressions:\n  - { reason: why }\n",
      "suppressions.0: a suppression needs at least one of rule, actor, group or tool",
    ],
    [
      "suppressions:\n  - { tool: x, reason: y, until: next week }\n",
      "suppressions.0.until: expected a date such as 2026-12-31",
    ],
    [
      "suppressions:\n  - { group: bots, reason: y }\n",
      'suppressions: group "bots" is not defined under groups',
    ],
    ["ask:\n  rules: [mcp-burts]\n", "ask.rules.0: expected a rule id: mcp-app-authorized"],
    ["ask:\n  expectedOnYes: mcp-first-use\n", "ask.expectedOnYes: "],
    ["ask:\n  when: always\n", 'ask: unknown key "when": the keys are rules, expectedOnYes'],
    [
      "escalation:\n  afterMinutes: 1.5\n",
      "escalation.afterMinutes: expected a whole number of minutes (0 turns reminders off)",
    ],
    ["escalation:\n  afterMinutes: 20000\n", "escalation.afterMinutes: expected at most 10080"],
    [
      "escalation:\n  workingHoursOnly: yes please\n",
      "escalation.workingHoursOnly: expected true or false",
    ],
    ["surprise: true\n", '(top level): unknown key "surprise": the keys are mcpActionKeys, tools,'],
    ["minSeverty: high\n", '(top level): unknown key "minSeverty": did you mean minSeverity?'],
    ["rules: [1, 2\n", "RULES_FILE rules.yml is not valid YAML"],
  ])("explains %j", (text, expected) => {
    expect(problems(text).join("\n")).toContain(expected);
  });

  it("refuses a key given twice in JSON, as in YAML, and reads a file saved with a byte-order mark", () => {
    expect(
      problems(
        '{"rules": {"mcp-burst": {"calls": 10}, "mcp-burst": {"enabled": false}}}',
        "r.json",
      ).join("\n"),
    ).toContain("RULES_FILE r.json is not valid JSON: Map keys must be unique");
    expect(problems("minSeverity: high\nminSeverity: info\n").join("\n")).toContain(
      "Map keys must be unique",
    );
    expect(parseRulesText('\uFEFF{"minSeverity": "high"}', "r.json").minSeverity).toBe("high");
    expect(parseRulesText("\uFEFFminSeverity: high\n", "r.yml").minSeverity).toBe("high");
  });

  it("reads a section whose entries are all commented out as empty", () => {
    const sections = ["mcpActionKeys", "tools", "rules", "groups", "suppressions", "watch"];
    const objects = ["workingHours", "ask", "escalation", "posture", "attestation"];
    const text = [...sections, ...objects].map((key) => `${key}:\n  # nothing yet\n`).join("");
    expect(parseRulesText(text, "rules.yml")).toEqual(DEFAULT_RULES_FILE);
    // A group whose members are all commented out has none.
    expect(
      parseRulesText("groups:\n  bots:\n    # - bot@example.com\n", "rules.yml").groups,
    ).toEqual({ bots: [] });
    expect(problems("minSeverity:\n")).toEqual([
      "RULES_FILE rules.yml: minSeverity: expected one of info, low, medium, high",
    ]);
  });

  it("reads anchors and aliases, and says a merge key is not supported, where it is", () => {
    const aliased = parseRulesText(
      "ask:\n  rules: &asked [mcp-burst]\n  expectedOnYes: *asked\n",
      "rules.yml",
    );
    expect(aliased.ask).toEqual({ rules: ["mcp-burst"], expectedOnYes: ["mcp-burst"] });
    const merged = [
      "rules:",
      "  mcp-burst: &loud { severity: high, mode: alert }",
      "  mcp-write:",
      "    <<: *loud",
      "    enabled: false",
      "workingHours: { <<: { start: '08:00' } }",
    ].join("\n");
    // An alias inside the value it names: refused, not followed for ever.
    expect(problems("groups: &g { x: *g }\n").join("\n")).toContain("groups.x: ");
    expect(problems(merged)).toEqual([
      "RULES_FILE rules.yml: rules.mcp-write: a merge key (<<) is not supported: repeat the keys it would bring (an alias of a whole value, *name, is read)",
      "RULES_FILE rules.yml: workingHours: a merge key (<<) is not supported: repeat the keys it would bring (an alias of a whole value, *name, is read)",
    ]);
  });

  it("names the file it cannot read", () => {
    expect(() => loadRulesFile("/nonexistent/rules.yml")).toThrow(
      /RULES_FILE \/nonexistent\/rules\.yml cannot be read/,
    );
  });

  it("loads a file from disk", () => {
    const path = join(tempDir(), "rules.yml");
    writeFileSync(path, "groupingWindowMinutes: 30\n");
    expect(loadRulesFile(path).groupingWindowMinutes).toBe(30);
  });

  it("reads a group's name as its suppressions read it, without stray spaces or hidden characters", () => {
    const dir = tempDir();
    for (const name of ["bots ", "bots\u200b", " bots"]) {
      const path = join(dir, "rules.json");
      writeFileSync(
        path,
        JSON.stringify({
          groups: { [name]: ["svc@example.com"] },
          suppressions: [{ reason: "bots", rule: "mcp-api-token", group: name }],
        }),
      );
      const rules = loadRulesFile(path);
      expect(rules.groups).toEqual({ bots: ["svc@example.com"] });
      const call = mcpEvent({ userId: "acc-svc", userEmail: "svc@example.com" });
      expect(suppressionFor(call, "mcp-api-token", rules)?.reason).toBe("bots");
    }
  });

  it("refuses two group names that are one once spaces and hidden characters are removed", () => {
    expect(
      problems(
        [
          "groups:",
          '  "bots ": [a@example.com]',
          '  "bots\u200b": [b@example.com]',
          "  ops: [c@example.com]",
          '  " ": [d@example.com]',
        ].join("\n"),
      ),
    ).toEqual([
      'RULES_FILE rules.yml: groups: "bots " and "bots\\u200b" are both the group "bots" once spaces and invisible characters are removed: put their members under one name',
      'RULES_FILE rules.yml: groups: " ": expected a group name, not only spaces',
    ]);
  });
});

describe("the rules only a suppression naming them quiets", () => {
  it("refuse a severity or a mode of their own, which would quiet them", () => {
    expect(
      problems(
        [
          "rules:",
          "  mcp-canary: { mode: digest, severity: low }",
          "  mcp-posture-drift: { mode: alert, severity: medium }",
        ].join("\n"),
      ),
    ).toEqual([
      "RULES_FILE rules.yml: rules.mcp-canary.severity: mcp-canary is always high: only a suppression naming it quiets its alerts: write { reason: …, rule: mcp-canary } under suppressions instead (docs/alerts-and-digest.md#buttons)",
      "RULES_FILE rules.yml: rules.mcp-canary.mode: mcp-canary's mode is always alert: only a suppression naming it quiets its alerts: write { reason: …, rule: mcp-canary } under suppressions instead (docs/alerts-and-digest.md#buttons)",
      "RULES_FILE rules.yml: rules.mcp-posture-drift.severity: mcp-posture-drift is always high: only a suppression naming it quiets its alerts: write { reason: …, rule: mcp-posture-drift } under suppressions instead (docs/alerts-and-digest.md#buttons)",
      "RULES_FILE rules.yml: rules.mcp-posture-drift.mode: mcp-posture-drift's mode is always once: only a suppression naming it quiets its alerts: write { reason: …, rule: mcp-posture-drift } under suppressions instead (docs/alerts-and-digest.md#buttons)",
    ]);
    expect(problems("rules:\n  mcp-canary: { mode: once }\n").join("\n")).toContain(
      "rules.mcp-canary.mode: mcp-canary's mode is always alert",
    );
  });

  it("refuse enabled: false, which would quiet them as surely", () => {
    expect(
      problems(
        "rules:\n  mcp-canary: { enabled: false }\n  mcp-posture-drift: { enabled: false }\n",
      ),
    ).toEqual([
      "RULES_FILE rules.yml: rules.mcp-canary.enabled: mcp-canary is always on: only a suppression naming it quiets its alerts: write { reason: …, rule: mcp-canary } under suppressions instead (docs/alerts-and-digest.md#buttons); without canaries under watch it raises nothing",
      "RULES_FILE rules.yml: rules.mcp-posture-drift.enabled: mcp-posture-drift is always on: only a suppression naming it quiets its alerts: write { reason: …, rule: mcp-posture-drift } under suppressions instead (docs/alerts-and-digest.md#buttons); without a posture it raises nothing",
    ]);
  });

  it("take their own severity and mode, a posture's onceDays, and enabled: true", () => {
    const rules = parseRulesText(
      [
        "rules:",
        "  mcp-canary: { mode: alert, severity: high, enabled: true }",
        "  mcp-posture-drift: { mode: once, onceDays: 30, enabled: true }",
      ].join("\n"),
      "rules.yml",
    ).rules;
    expect(rules["mcp-canary"]).toMatchObject({ severity: "high", mode: { kind: "alert" } });
    expect(rules["mcp-posture-drift"]).toMatchObject({
      enabled: true,
      mode: { kind: "once", days: 30 },
    });
  });
});

describe("the effective configuration", () => {
  it("refuses a mode's key under another mode", () => {
    expect(
      problems(
        [
          "rules:",
          "  mcp-destructive: { mode: group, onceDays: 3 }",
          "  mcp-api-token: { mode: once, windowHours: 3 }",
        ].join("\n"),
      ),
    ).toEqual([
      "RULES_FILE rules.yml: rules.mcp-destructive.onceDays: onceDays applies to mode: once, and this rule's mode is group",
      "RULES_FILE rules.yml: rules.mcp-api-token.windowHours: windowHours applies to mode: group, and this rule's mode is once",
    ]);
  });

  it("is written in the file's own syntax and reads back to the same configuration", () => {
    const given = parseRulesText(
      [
        "maxAlertsPerHour: 4",
        "rules:",
        "  mcp-burst: { calls: 20, mode: digest }",
        "  mcp-destructive: { windowHours: 12 }",
        "  mcp-new-location: { onceDays: 90 }",
        "  mcp-write: { mode: once }",
        "suppressions:",
        "  - { rule: mcp-write, actor: bot@example.com, reason: the release bot }",
        "watch:",
        "  - { space: HR, severity: high }",
        "  - { issue: SEC-1, canary: true }",
        "  - { page: 42, site: acme.atlassian.net }",
      ].join("\n"),
      "rules.yml",
    );
    const text = stringify(effectiveRules(given));
    expect(text).toMatch(
      /mcp-burst:\n\s+enabled: true\n\s+severity: high\n\s+mode: digest\n\s+calls: 20/,
    );
    expect(text).toMatch(/mcp-destructive:\n(\s+\w+: .+\n){2}\s+mode: group\n\s+windowHours: 12/);
    expect(parseRulesText(text, "effective.yml")).toEqual(given);
    expect(parseRulesText(stringify(effectiveRules(DEFAULT_RULES_FILE)), "d.yml")).toEqual(
      DEFAULT_RULES_FILE,
    );
  });
});
