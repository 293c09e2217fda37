/**
 * Bad input to `/mcp-activity`: any text is a query or an error that says what is wrong, and an
 * accepted query's canonical text (what the Show-more button carries) reads back the same.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  describeQuery,
  INTERNAL_ERROR_MESSAGE,
  MAX_LIMIT,
  MAX_WINDOW_DAYS,
  type ParseResult,
  parseQuery,
  QUERY_KEYS,
  type Query,
} from "../../src/query/parse.js";
import { DAY } from "../../src/time-units.js";

/** Sunday 15 November 2026, 12:00 UTC. */
const NOW = Date.UTC(2026, 10, 15, 12);
const ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "Not/AZone", ""];

/** Keys as people type them: real ones in any case, aliases, typos, schemes, numbers. */
const key = fc.oneof(
  fc.constantFrom(...QUERY_KEYS),
  fc.constantFrom(...QUERY_KEYS).map((k) => k.toUpperCase()),
  fc.constantFrom("usr", "email", "from", "to", "http", "https", "mailto", "ftp", "OPS-1", "10"),
  fc.stringMatching(/^[A-Za-z][A-Za-z_-]{0,8}$/),
);

/** Values from the grammar and around it: times, enums, people, Slack markup, odd unicode. */
const value = fc.oneof(
  fc.constantFrom(
    "me",
    "@bob",
    "alice@example.com",
    "<@U123|alice>",
    "<@U1>",
    "<mailto:a@b.c|a@b.c>",
    '<https://x.example|a"b>',
    "<https://x.example|a\u0001b>",
    "<https://x.example|&amp;>",
    "<#C1|general>",
    "<!here>",
    "7d",
    "24h",
    "15m",
    "2w",
    "3mo",
    "1y",
    "0d",
    "999999999w",
    "401d",
    "today",
    "yesterday",
    "now",
    "2026-11-01",
    "2026-02-30",
    "1969-12-31",
    "2026-11-01T09:00Z",
    "2026-11-01T09:00+25:00",
    "2026-11-01t09:00:00.123456789-05:30",
    "read",
    "write,destructive",
    "api-token",
    "oauth",
    "open",
    "ack",
    "csv",
    "table",
    "0",
    "201",
    "-5",
    "acme.atlassian.net",
    "https://acme.example/x?y#z",
    "constructor",
    "__proto__",
    "a,,b",
    ",",
    "",
  ),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.nat({ max: 400 }).map((n) => "v".repeat(n)),
);

const quote = fc.constantFrom('"', "“", "”", "„");
const space = fc.constantFrom(" ", "  ", "\t", "\n", "\u00a0", "\u3000");

/** One term: key:value, key:"value", a free word, a quoted word, or a stray quote. */
const term = fc.oneof(
  fc.tuple(key, value).map(([k, v]) => `${k}:${v}`),
  fc.tuple(key, quote, value, quote).map(([k, q1, v, q2]) => `${k}:${q1}${v}${q2}`),
  value,
  fc.tuple(quote, value, quote).map(([q1, v, q2]) => `${q1}${v}${q2}`),
  quote,
);

const grammarText = fc
  .array(fc.tuple(term, space), { maxLength: 8 })
  .map((parts) => parts.map(([t, s]) => t + s).join(""));

const anyText = fc.oneof(
  grammarText,
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }),
);

const options = fc.record({
  now: fc.oneof(
    fc.constant(NOW),
    fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(9000, 0, 1) }),
  ),
  timeZone: fc.constantFrom(...ZONES),
});

/** What an exception leaks: messages echo the text typed, so only traces and source paths. */
const STACK = /\n\s+at |\.ts:\d|node_modules|\[object /;

/** Values in a query as text, for what every value must (not) hold. */
function valuesOf(q: Query): string[] {
  return [
    ...q.users.map((u) => (u.kind === "text" ? u.value : u.kind === "slack" ? u.id : "me")),
    ...q.tools,
    ...q.products,
    ...q.sites,
    ...q.actions,
    ...q.ips,
    ...q.countries,
    ...q.rules,
    ...q.words,
  ];
}

function checkAnswer(r: ParseResult, timeZone: string, now: number): void {
  if (!r.ok) {
    const { message, suggestion, examples } = r.error;
    expect(message).not.toBe(INTERNAL_ERROR_MESSAGE);
    expect(message.trim()).not.toBe("");
    expect(message).not.toMatch(STACK);
    expect(message).not.toMatch(/[\r\n]/);
    if (suggestion !== undefined) {
      expect(suggestion.trim()).not.toBe("");
      expect(suggestion).not.toMatch(STACK);
    }
    // The examples an error offers are queries that work.
    for (const example of examples) expect(parseQuery(example, { now, timeZone }).ok).toBe(true);
    return;
  }
  const q = r.query;
  expect(q.since).toBeGreaterThanOrEqual(0);
  expect(q.since).toBeLessThan(q.until);
  expect(q.until - q.since).toBeLessThanOrEqual(MAX_WINDOW_DAYS * DAY);
  expect(Number.isInteger(q.limit) && q.limit >= 1 && q.limit <= MAX_LIMIT).toBe(true);
  for (const v of valuesOf(q)) {
    expect(v.trim()).toBe(v);
    expect(v).not.toBe("");
    expect(v).not.toMatch(/["“”„]/);
  }
}

/** The limitation describeQuery documents: a value that literally holds `&amp;` and the like. */
const holdsSlackEscape = (q: Query) => valuesOf(q).some((v) => /&(amp|lt|gt);/.test(v));

describe("query text of any shape", () => {
  it("is a query or an error that says what is wrong, never an internal failure", () => {
    fc.assert(
      fc.property(anyText, options, (text, { now, timeZone }) => {
        checkAnswer(parseQuery(text, { now, timeZone }), timeZone, now);
      }),
      { numRuns: 600 },
    );
  });

  it("an accepted query's canonical text parses back to the same query", () => {
    fc.assert(
      fc.property(grammarText, options, (text, { now, timeZone }) => {
        const r = parseQuery(text, { now, timeZone });
        fc.pre(r.ok && !holdsSlackEscape(r.query));
        if (!r.ok) return;
        const canonical = describeQuery(r.query);
        const again = parseQuery(canonical, { now, timeZone });
        expect(again).toEqual({ ok: true, query: r.query });
        if (again.ok) expect(describeQuery(again.query)).toBe(canonical);
      }),
      {
        numRuns: 400,
        examples: [
          // A link label holding quote or control characters once read back as another value.
          ['tool:<https://x.example|a"b> <https://x.example|c“d>', { now: NOW, timeZone: "UTC" }],
          [
            'tool:<https://x.example|a\nb> user:<https://x.example|"me">',
            { now: NOW, timeZone: "UTC" },
          ],
          ['tool:<@U1|a"b>', { now: NOW, timeZone: "UTC" }],
        ],
      },
    );
  });
});
