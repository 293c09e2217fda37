/**
 * Bad RULES_FILE content: any text or object is either a rules file the engine can use or a
 * ConfigError whose lines name the problem; no other exception escapes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { suppressionFor } from "../../src/detect/judge.js";
import { RULES } from "../../src/detect/rules/index.js";
import { parseRulesText, type RulesFile } from "../../src/detect/rules-file.js";
import { SEVERITIES } from "../../src/domain/severity.js";
import { ConfigError } from "../../src/errors.js";
import { mcpEvent } from "../detect/fixtures.js";
import { mutate, type Path, pathsOf, valueAt } from "./json-paths.js";

const RULE_IDS = RULES.map((rule) => rule.id);
const TOP_KEYS = [
  "mcpActionKeys",
  "minSeverity",
  "groupingWindowMinutes",
  "workingHours",
  "rules",
  "groups",
  "suppressions",
];

/** A rules file that uses every section. */
const VALID = {
  mcpActionKeys: ["rovo_mcp_tool_called"],
  minSeverity: "low",
  groupingWindowMinutes: 15,
  workingHours: { timezone: "Europe/Berlin", days: ["mon", "tue"], start: "08:00", end: "17:30" },
  rules: {
    "mcp-burst": { enabled: true, severity: "high", calls: 20, windowMinutes: 5 },
    "mcp-write": { enabled: false },
    "mcp-off-hours": null,
  },
  groups: { bots: ["acc-1", "bot@example.com"] },
  suppressions: [
    { reason: "nightly sync", group: "bots", rule: "mcp-burst", until: "2026-12-31" },
    { reason: "known", actor: "acc-9", tool: "getJiraIssue" },
  ],
};

/** What parsing answers: the file, or the ConfigError's lines; anything else fails the test. */
function parse(text: string, source: string): RulesFile | readonly string[] {
  try {
    return parseRulesText(text, source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

function checkAnswer(answer: RulesFile | readonly string[], source: string): void {
  if (Array.isArray(answer)) {
    const problems = answer as readonly string[];
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      // "RULES_FILE rules.yml: rules.mcp-burst.calls: …" or "… is not valid YAML: …".
      expect(problem).toMatch(
        new RegExp(`^RULES_FILE ${source}(: \\S| is not valid (YAML|JSON): \\S)`),
      );
      expect(problem).not.toMatch(/\n\s+at |node_modules|\.ts:\d/);
    }
    return;
  }
  const file = answer as RulesFile;
  expect(SEVERITIES).toContain(file.minSeverity);
  expect(Number.isSafeInteger(file.groupingWindowMinutes)).toBe(true);
  expect(file.groupingWindowMinutes).toBeGreaterThan(0);
  expect(Object.keys(file.rules).sort()).toEqual([...RULE_IDS].sort());
  for (const settings of Object.values(file.rules)) {
    expect(typeof settings.enabled).toBe("boolean");
    expect(SEVERITIES).toContain(settings.severity);
  }
  for (const members of Object.values(file.groups)) expect(Array.isArray(members)).toBe(true);
  for (const s of file.suppressions) {
    expect(s.reason.length).toBeGreaterThan(0);
    if (s.group !== undefined) expect(Object.hasOwn(file.groups, s.group)).toBe(true);
    if (s.until !== undefined) expect(Date.parse(`${s.until}T00:00:00Z`)).not.toBeNaN();
  }
  // What the engine does with an accepted file works for any event and rule.
  for (const ruleId of RULE_IDS) {
    expect(() => suppressionFor(mcpEvent({ userId: "acc-1" }), ruleId, file)).not.toThrow();
  }
}

/** Text that YAML parsers find hard: indentation, flow, anchors, tags, block scalars, keys. */
const yamlToken = fc.oneof(
  fc.constantFrom(
    ...TOP_KEYS.map((k) => `${k}:`),
    ...RULE_IDS.map((id) => `${id}:`),
    "reason:",
    "group:",
    "until:",
    "enabled:",
    "severity:",
    "calls:",
    "__proto__:",
    "constructor:",
    "\n",
    "\n  ",
    "\n    ",
    "\t",
    " ",
    "- ",
    ": ",
    "? ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "!!js/function ",
    "|",
    ">-",
    "#",
    "'",
    '"',
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "~",
    "null",
    "true",
    "0x1F",
    "1e400",
    "-1",
    "2026-02-30",
    "high",
    "\ud800",
    "\u0000",
    "\ufeff",
  ),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);
const yamlText = fc.oneof(
  fc.array(yamlToken, { maxLength: 30 }).map((tokens) => tokens.join("")),
  fc.string({ unit: "binary", maxLength: 80 }),
);

/** Several anchors, each aliased many times: the billion-laughs shape. */
const aliasBomb = fc.integer({ min: 2, max: 8 }).map((depth) =>
  Array.from(
    { length: depth },
    (_, i) =>
      `a${i}: &a${i} [${
        i === 0
          ? '"lol"'
          : Array(9)
              .fill(`*a${i - 1}`)
              .join(", ")
      }]`,
  ).join("\n"),
);

const leaf = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    "constructor",
    "__proto__",
    "toString",
    "hasOwnProperty",
    "",
    " ",
    "high",
    "HIGH",
    0,
    -1,
    1.5,
    2 ** 60,
    "2026-02-30",
    "Mars/Olympus",
    "24:00",
    "mcp-brust",
    [],
    {},
    null,
  ),
);

type Change = { remove: true } | { set: unknown } | { add: string; value: unknown };

/** A copy of VALID with one change at `path`: removed, replaced, or given an extra key. */
function broken(path: Path, what: Change): unknown {
  if ("remove" in what) return mutate(VALID, path, { remove: true });
  if ("set" in what) return mutate(VALID, path, { with: what.set });
  const target = valueAt(VALID, path);
  const inside = typeof target === "object" && target !== null && !Array.isArray(target);
  return mutate(VALID, inside ? [...path, what.add] : path, { with: what.value });
}

const ALL_PATHS = pathsOf(VALID);

const mutated = fc.record({
  path: fc.constantFrom(...ALL_PATHS),
  change: fc.oneof(
    fc.constant<Change>({ remove: true }),
    leaf.map((value): Change => ({ set: value })),
    fc
      .tuple(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("constructor", "x")), leaf)
      .map(([add, value]): Change => ({ add, value })),
  ),
});

describe("rules files of any shape", () => {
  it("any YAML text is a usable rules file or a ConfigError naming the problem", () => {
    fc.assert(
      fc.property(fc.oneof(yamlText, aliasBomb), (text) => {
        checkAnswer(parse(text, "rules.yml"), "rules.yml");
      }),
      { numRuns: 300 },
    );
  });

  it("any JSON value, as YAML or JSON, is a usable rules file or a ConfigError", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.constantFrom(...TOP_KEYS), leaf)),
        fc.constantFrom("rules.yaml", "rules.json"),
        (value, source) => {
          const text = source.endsWith(".json") ? JSON.stringify(value) : stringify(value);
          checkAnswer(parse(text, source), source);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a valid file with one part broken is refused by a line that names that part", () => {
    fc.assert(
      fc.property(mutated, fc.boolean(), ({ path, change }, asJson) => {
        const source = asJson ? "rules.json" : "rules.yaml";
        const value = broken(path, change);
        const text = asJson ? JSON.stringify(value) : stringify(value);
        const answer = parse(text, source);
        checkAnswer(answer, source);
        if (Array.isArray(answer)) {
          const section = String(path[0]);
          expect((answer as readonly string[]).some((p) => p.includes(section))).toBe(true);
        }
      }),
      {
        numRuns: 200,
        examples: [
          // A suppression for a group named like an Object property was accepted, then crashed
          // the engine when an alert was judged.
          [{ path: ["suppressions", 0, "group"], change: { set: "constructor" } }, false],
          [{ path: ["suppressions", 0, "group"], change: { set: "__proto__" } }, true],
          [{ path: ["suppressions", 0, "group"], change: { set: "toString" } }, false],
        ],
      },
    );
  });
});
