import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  describeQuery,
  HELP_EXAMPLES,
  INTERNAL_ERROR_MESSAGE,
  type ParseResult,
  parseQuery,
  QUERY_KEYS,
  type Query,
  type QueryError,
  type UserRef,
} from "../../src/query/parse.js";
import { DAY, HOUR } from "../../src/time-units.js";

const MIN = 60_000;
/** Sunday 15 November 2026, 12:00 UTC (07:00 in New York). */
const NOW = Date.UTC(2026, 10, 15, 12);
const NY = "America/New_York";
const at = (iso: string) => Date.parse(iso);

function parse(text: string, timeZone = NY, now = NOW): ParseResult {
  return parseQuery(text, { now, timeZone });
}

function ok(text: string, timeZone = NY, now = NOW): Query {
  const r = parse(text, timeZone, now);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.query;
}

function fail(text: string, timeZone = NY): QueryError {
  const r = parse(text, timeZone);
  if (r.ok) throw new Error(`${text} parsed: ${describeQuery(r.query)}`);
  return r.error;
}

const text = (value: string): UserRef => ({ kind: "text", value });

describe("parseQuery defaults", () => {
  it("gives the last 7 days, 20 rows, a table and nothing else for empty text", () => {
    expect(ok("")).toEqual({
      users: [],
      tools: [],
      classes: [],
      products: [],
      sites: [],
      actions: [],
      ips: [],
      countries: [],
      auth: [],
      rules: [],
      statuses: [],
      since: NOW - 7 * DAY,
      until: NOW,
      limit: 20,
      format: "table",
      words: [],
      sinceLabel: "7d",
    });
    expect(ok("   \t\n ")).toEqual(ok(""));
    expect(ok("")).not.toHaveProperty("untilLabel");
  });

  it("lists its keys", () => {
    expect(QUERY_KEYS).toEqual(
      expect.arrayContaining(["user", "tool", "class", "since", "until", "limit", "format"]),
    );
    expect(QUERY_KEYS).toHaveLength(16);
  });
});

describe("parseQuery keys", () => {
  const cases: [string, Partial<Query>][] = [
    ["user:alice", { users: [text("alice")] }],
    ["user:alice@example.com", { users: [text("alice@example.com")] }],
    ["user:557058:f1e2d3c4-aaaa", { users: [text("557058:f1e2d3c4-aaaa")] }],
    ['user:"Çarol Ñúñez"', { users: [text("Çarol Ñúñez")] }],
    ["user:“Çarol Ñúñez”", { users: [text("Çarol Ñúñez")] }],
    ["user:”Çarol Ñúñez”", { users: [text("Çarol Ñúñez")] }],
    ['user:"  Carol  Nunez "', { users: [text("Carol  Nunez")] }],
    ["user:Zoë", { users: [text("Zoë")] }],
    ["user:me", { users: [{ kind: "me" }] }],
    ["USER:ME", { users: [{ kind: "me" }] }],
    ['user:"me"', { users: [text("me")] }],
    ["user:<@U123ABC>", { users: [{ kind: "slack", id: "U123ABC" }] }],
    ["user:<@U123ABC|alice>", { users: [{ kind: "slack", id: "U123ABC" }] }],
    ["user:<@W0ZZ|alice smith> since:1d", { users: [{ kind: "slack", id: "W0ZZ" }] }],
    ["user:@bob", { users: [text("bob")] }],
    ["user:<mailto:a@example.com|a@example.com>", { users: [text("a@example.com")] }],
    // In quotes, an address or a link is what was typed (Slack escapes them, quotes or not).
    ['user:"<mailto:a@example.com|a@example.com>"', { users: [text("a@example.com")] }],
    [
      '"R&amp;D <http://acme.atlassian.net|acme.atlassian.net>"',
      { words: ["R&D acme.atlassian.net"] },
    ],
    [
      'site:"<https://acme.atlassian.net/wiki|acme.atlassian.net/wiki>"',
      { sites: ["acme.atlassian.net"] },
    ],
    ["tool:<#C123|general>", { tools: ["<#C123|general>"] }],
    ["user:alice user:bob", { users: [text("alice"), text("bob")] }],
    ["user:alice,bob,", { users: [text("alice"), text("bob")] }],
    ['user:"Smith, John"', { users: [text("Smith, John")] }],
    ["user:alice user:alice user:me user:me", { users: [text("alice"), { kind: "me" }] }],
    ["tool:createJiraIssue", { tools: ["createJiraIssue"] }],
    ["tool:createJiraIssue Tool:getJiraIssue", { tools: ["createJiraIssue", "getJiraIssue"] }],
    ["tool:a,b tool:b", { tools: ["a", "b"] }],
    ['tool:"a,b"', { tools: ["a,b"] }],
    ["class:write", { classes: ["write"] }],
    ["CLASS:Destructive class:read,search", { classes: ["destructive", "read", "search"] }],
    ["product:jira product:confluence", { products: ["jira", "confluence"] }],
    ["site:acme.atlassian.net", { sites: ["acme.atlassian.net"] }],
    ["site:acme", { sites: ["acme.atlassian.net"] }],
    ["site:https://Acme.Atlassian.net/wiki/spaces/X", { sites: ["acme.atlassian.net"] }],
    ["site:<https://acme.atlassian.net|acme.atlassian.net>", { sites: ["acme.atlassian.net"] }],
    ["site:wiki.example.com", { sites: ["wiki.example.com"] }],
    ["action:rovo_mcp_tool_called", { actions: ["rovo_mcp_tool_called"] }],
    ["ip:203.0.113.7 ip:2001:db8::1", { ips: ["203.0.113.7", "2001:db8::1"] }],
    ['country:"United States" country:Germany', { countries: ["United States", "Germany"] }],
    ["auth:oauth", { auth: ["oauth"] }],
    ["auth:api-token", { auth: ["api-token"] }],
    ["auth:apitoken auth:api_token auth:TOKEN", { auth: ["api-token"] }],
    ["auth:oauth,api-token", { auth: ["oauth", "api-token"] }],
    ["rule:mcp-off-hours rule:mcp-burst", { rules: ["mcp-off-hours", "mcp-burst"] }],
    ["status:open", { statuses: ["open"] }],
    ["status:ack status:acknowledged", { statuses: ["acknowledged"] }],
    ["status:expected", { statuses: ["expected"] }],
    ["status:true_positive status:true-positive", { statuses: ["true_positive"] }],
    ["limit:1", { limit: 1 }],
    ["limit:200", { limit: 200 }],
    ["LIMIT:050", { limit: 50 }],
    ["format:csv", { format: "csv" }],
    ["format:CSV", { format: "csv" }],
    ["format:table", { format: "table" }],
    // Free words: anything without a known key, all must match.
    ["runbook deploy", { words: ["runbook", "deploy"] }],
    ['"page title" runbook', { words: ["page title", "runbook"] }],
    ["“page title”", { words: ["page title"] }],
    ['"usr:bob"', { words: ["usr:bob"] }],
    [
      "https://acme.atlassian.net/wiki mailto:x@y.z",
      { words: ["https://acme.atlassian.net/wiki", "mailto:x@y.z"] },
    ],
    ["ftp://files OPS-1: 10:30x :x", { words: ["ftp://files", "OPS-1:", "10:30x", ":x"] }],
    ["R&amp;D &lt;3", { words: ["R&D", "<3"] }],
    ["café 日本語 🚀", { words: ["café", "日本語", "🚀"] }],
    ["a\u00a0b\u3000c", { words: ["a", "b", "c"] }],
    ["dup dup", { words: ["dup"] }],
    ['"" x', { words: ["x"] }],
    ['say"hi there"', { words: ["sayhi there"] }],
  ];
  it.each(cases)("%s", (input, expected) => {
    expect(ok(input)).toMatchObject(expected);
  });

  it("combines keys", () => {
    const q = ok("user:me class:write,destructive since:24h limit:50 format:csv runbook");
    expect(q).toMatchObject({
      users: [{ kind: "me" }],
      classes: ["write", "destructive"],
      since: NOW - DAY,
      until: NOW,
      limit: 50,
      format: "csv",
      words: ["runbook"],
      sinceLabel: "24h",
    });
  });

  it("takes a term that is only control characters, or a lone surrogate, as a separator or a word", () => {
    expect(ok("\u0000user:bob\u0007").users).toEqual([text("bob")]);
    expect(ok("\ud800").words).toEqual(["\ud800"]);
  });

  it("quotes a bad value back without cutting an emoji in half", () => {
    const emoji = "😀".repeat(50);
    const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    for (const query of [`class:${emoji}`, `limit:${emoji}`, `since:${emoji}`, `"${emoji}`]) {
      const said = JSON.stringify(fail(query));
      expect(said).toContain("😀…");
      expect(said).not.toMatch(loneSurrogate);
    }
  });
});

describe("parseQuery time", () => {
  const cases: [string, string, number, number, string, string?][] = [
    // input, zone, since, until, sinceLabel, untilLabel
    ["since:15m", NY, NOW - 15 * MIN, NOW, "15m"],
    ["since:24h", NY, NOW - DAY, NOW, "24h"],
    ["since:7d", NY, NOW - 7 * DAY, NOW, "7d"],
    ["since:2w", NY, NOW - 14 * DAY, NOW, "2w"],
    ["since:7DAYS", NY, NOW - 7 * DAY, NOW, "7d"],
    ["since:3hours", NY, NOW - 3 * HOUR, NOW, "3h"],
    ["since:400d", NY, NOW - 400 * DAY, NOW, "400d"],
    ["since:14d until:7d", NY, NOW - 14 * DAY, NOW - 7 * DAY, "14d", "7d"],
    // New York leaves DST on Sunday 1 November 2026: that day has 25 hours.
    ["since:2026-11-01", NY, at("2026-11-01T04:00Z"), NOW, "2026-11-01"],
    [
      "since:2026-11-01 until:2026-11-01",
      NY,
      at("2026-11-01T04:00Z"),
      at("2026-11-02T05:00Z"),
      "2026-11-01",
      "2026-11-01",
    ],
    // ... and enters it on 8 March 2026: 23 hours.
    [
      "since:2026-03-08 until:2026-03-08",
      NY,
      at("2026-03-08T05:00Z"),
      at("2026-03-09T04:00Z"),
      "2026-03-08",
      "2026-03-08",
    ],
    // 400 days of dates holding one more change of the clocks back than forward: 400 days and
    // an hour by the clock, 400 on the calendar.
    [
      "since:2025-10-01 until:2026-11-04",
      NY,
      at("2025-10-01T04:00Z"),
      at("2026-11-05T05:00Z"),
      "2025-10-01",
      "2026-11-04",
    ],
    [
      "since:2025-10-01 until:2026-11-04",
      "Europe/Berlin",
      at("2025-09-30T22:00Z"),
      at("2026-11-04T23:00Z"),
      "2025-10-01",
      "2026-11-04",
    ],
    ["since:2026-11-10", "UTC", at("2026-11-10T00:00Z"), NOW, "2026-11-10"],
    ["since:2026-11-10", "Asia/Kolkata", at("2026-11-09T18:30Z"), NOW, "2026-11-10"],
    ["since:2026-11-10", "Mars/Olympus_Mons", at("2026-11-10T00:00Z"), NOW, "2026-11-10"],
    // Chile's clocks jump from 00:00 to 01:00 on 6 September 2026: the day starts at 01:00.
    [
      "since:2026-09-06 until:2026-09-06",
      "America/Santiago",
      at("2026-09-06T04:00Z"),
      at("2026-09-07T03:00Z"),
      "2026-09-06",
      "2026-09-06",
    ],
    // Only until: the week before it.
    [
      "until:2026-11-07",
      NY,
      at("2026-11-01T04:00Z"),
      at("2026-11-08T05:00Z"),
      "2026-11-01",
      "2026-11-07",
    ],
    ["until:24h", NY, NOW - 8 * DAY, NOW - DAY, "192h", "24h"],
    [
      "until:2026-11-10T12:00Z",
      NY,
      at("2026-11-03T12:00Z"),
      at("2026-11-10T12:00Z"),
      "2026-11-03T12:00:00.000Z",
      "2026-11-10T12:00Z",
    ],
    ["since:today", NY, at("2026-11-15T05:00Z"), NOW, "today"],
    [
      "since:yesterday until:today",
      NY,
      at("2026-11-14T05:00Z"),
      at("2026-11-16T05:00Z"),
      "yesterday",
      "today",
    ],
    [
      "since:yesterday until:yesterday",
      NY,
      at("2026-11-14T05:00Z"),
      at("2026-11-15T05:00Z"),
      "yesterday",
      "yesterday",
    ],
    ["since:2026-11-01T09:00Z", NY, at("2026-11-01T09:00Z"), NOW, "2026-11-01T09:00Z"],
    [
      "since:2026-11-01t09:00:30.5+01:00",
      NY,
      at("2026-11-01T08:00:30.500Z"),
      NOW,
      "2026-11-01T09:00:30.5+01:00",
    ],
    ["since:2026-11-01T09:00-0530", NY, at("2026-11-01T14:30Z"), NOW, "2026-11-01T09:00-0530"],
    ['since:"2026-11-01 09:00"', NY, at("2026-11-01T14:00Z"), NOW, "2026-11-01T09:00"],
    ["since:2026-11-01T09:00", NY, at("2026-11-01T14:00Z"), NOW, "2026-11-01T09:00"],
  ];
  it.each(cases)("%s in %s", (input, zone, since, until, sinceLabel, untilLabel) => {
    const q = ok(input, zone);
    expect({ since: q.since, until: q.until, sinceLabel: q.sinceLabel }).toEqual({
      since,
      until,
      sinceLabel,
    });
    expect(q.untilLabel).toBe(untilLabel);
  });

  it("keeps the window when the canonical text is parsed again", () => {
    for (const [input, zone] of cases) {
      const q = ok(input, zone);
      expect(ok(describeQuery(q), zone)).toEqual(q);
    }
  });
});

describe("parseQuery errors", () => {
  const cases: [string, string, string?][] = [
    // input, message, suggestion
    ["usr:bob", 'unknown key "usr"', "did you mean user:?"],
    ["Tols:x", 'unknown key "Tols"', "did you mean tool:?"],
    ["email:alice@example.com", 'unknown key "email"', "did you mean user:?"],
    ["from:2026-11-01", 'unknown key "from"', "did you mean since:?"],
    [
      "usr://x user:bob zzzzzzz:1",
      'unknown key "zzzzzzz"',
      'keys are user, tool, class, product, site, action, ip, country, auth, rule, status, since, until, limit, format, org; to search for the text, quote it: "zzzzzzz:1"',
    ],
    [
      "class:wrte",
      'class must be read, search, write, destructive or admin, not "wrte"',
      "did you mean class:write?",
    ],
    [
      "class:write,distructive",
      'class must be read, search, write, destructive or admin, not "distructive"',
      "did you mean class:destructive?",
    ],
    ["auth:oath", 'auth must be oauth or api-token, not "oath"', "did you mean auth:oauth?"],
    [
      "auth:apitokn",
      'auth must be oauth or api-token, not "apitokn"',
      "did you mean auth:api-token?",
    ],
    [
      "status:opne",
      'status must be open, acknowledged, expected or true_positive, not "opne"',
      "did you mean status:open?",
    ],
    [
      "status:true_postive",
      'status must be open, acknowledged, expected or true_positive, not "true_postive"',
      "did you mean status:true_positive?",
    ],
    ["format:cvs", 'format must be table or csv, not "cvs"', "did you mean format:csv?"],
    ["since:7x", 'bad duration "7x" for since: use 15m, 24h, 7d or a date like 2026-11-08'],
    [
      "since:7dd",
      'bad duration "7dd" for since: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean since:7d?",
    ],
    [
      "until:3months",
      'bad duration "3months" for until: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean until:90d?",
    ],
    ["since:1.5h", 'bad duration "1.5h" for since: use 15m, 24h, 7d or a date like 2026-11-08'],
    [
      "since:7",
      'bad duration "7" for since: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean since:7d?",
    ],
    // Eight digits are a date without its dashes; a count of days before 1970 gets no `d`.
    [
      "since:20261101",
      'bad date "20261101" for since: give a date as YYYY-MM-DD, with its dashes',
      "did you mean since:2026-11-01?",
    ],
    [
      "until:20261101",
      'bad date "20261101" for until: give a date as YYYY-MM-DD, with its dashes',
      "did you mean until:2026-11-01?",
    ],
    [
      "since:20261399",
      'bad duration "20261399" for since: use 15m, 24h, 7d or a date like 2026-11-08',
    ],
    ["since:99999", 'bad duration "99999" for since: use 15m, 24h, 7d or a date like 2026-11-08'],
    [
      "since:00501101",
      'bad duration "00501101" for since: use 15m, 24h, 7d or a date like 2026-11-08',
    ],
    [
      "since:2026-02-30",
      "there is no day 2026-02-30 (for since:): use one the calendar has, like 2026-11-08",
    ],
    [
      "since:1969-12-31",
      'bad date "1969-12-31" for since: use a day from 1970 on like 2026-11-08, or 2026-11-08T09:00Z',
    ],
    [
      "since:2026-11-01T25:00Z",
      'bad date "2026-11-01T25:00Z" for since: use a day from 1970 on like 2026-11-08, or 2026-11-08T09:00Z',
    ],
    [
      "since:2026-1-1",
      'bad date "2026-1-1" for since: use a day from 1970 on like 2026-11-08, or 2026-11-08T09:00Z',
    ],
    [
      "since:yesterdy",
      'bad time "yesterdy" for since: use 15m, 24h, 7d, today, yesterday or a date like 2026-11-08',
      "did you mean since:yesterday?",
    ],
    ["since:999999999w", "since:999999999w goes back before 1970", "did you mean since:400d?"],
    // A unit after a space is the number's; a slip of a unit keeps its first letter, its size.
    [
      "since:3 hours",
      'bad duration "3 hours" for since: a number and its unit go without a space',
      "did you mean since:3h?",
    ],
    [
      "until:3 months",
      'bad duration "3 months" for until: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean until:90d?",
    ],
    ["since:20000 weeks", "since:20000 weeks goes back before 1970", "did you mean since:400d?"],
    // A since: meant to reach back further than a window spans gets the longest, said to be.
    [
      "since:14 months",
      'bad duration "14 months" for since: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean since:400d? (the longest window answered)",
    ],
    [
      "since:60 weeks",
      'bad duration "60 weeks" for since: a number and its unit go without a space',
      "did you mean since:400d? (the longest window answered)",
    ],
    [
      "since:500",
      'bad duration "500" for since: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean since:400d? (the longest window answered)",
    ],
    [
      "until:14 months",
      'bad duration "14 months" for until: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean until:420d?",
    ],
    ["since:3 secs", 'bad duration "3 secs" for since: use 15m, 24h, 7d or a date like 2026-11-08'],
    ["since:3ms", 'bad duration "3ms" for since: use 15m, 24h, 7d or a date like 2026-11-08'],
    [
      "since:3hurs",
      'bad duration "3hurs" for since: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean since:3h?",
    ],
    // A word after a number that is no unit: the number is not taken for days.
    [
      "since:3 secodns",
      'bad duration "3 secodns" for since: "secodns" is no unit; use 15m, 24h, 7d or a date like 2026-11-08',
    ],
    [
      "until:12 fortnights",
      'bad duration "12 fortnights" for until: "fortnights" is no unit; use 15m, 24h, 7d or a date like 2026-11-08',
    ],
    // A slip of months is months, never minutes, though both start with m; as near both, neither.
    [
      "since:3monts",
      'bad duration "3monts" for since: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean since:90d?",
    ],
    [
      "since:3 monhs",
      'bad duration "3 monhs" for since: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean since:90d?",
    ],
    [
      "since:3minuts",
      'bad duration "3minuts" for since: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean since:3m?",
    ],
    ["since:3mn", 'bad duration "3mn" for since: use 15m, 24h, 7d or a date like 2026-11-08'],
    [
      "since:2yaers",
      'bad duration "2yaers" for since: use 15m, 24h, 7d or a date like 2026-11-08',
      "did you mean since:400d? (the longest window answered)",
    ],
    [
      "since:3rd Dec",
      'bad date "3rd" for since: give a date as YYYY-MM-DD, like 2026-11-08',
      "did you mean since:2025-12-03?",
    ],
    [
      "since:Dec 3rd",
      'bad date "Dec" for since: give a date as YYYY-MM-DD, like 2026-11-08',
      "did you mean since:2025-12-03?",
    ],
    [
      "since:1st",
      'bad date "1st" for since: give a date as YYYY-MM-DD, like 2026-11-08',
      "for example since:2026-11-08",
    ],
    ["since:7d since:2d", "since: given twice", "use since: for the start and until: for the end"],
    ["until:1d until:2d", "until: given twice", "keep one until:"],
    ["limit:5 limit:6", "limit: given twice", "keep one limit:"],
    ["format:csv format:csv", "format: given twice", "keep one format:"],
    ['user:"bob', "unclosed quote after user:", 'close it with another " (quotes cannot nest)'],
    ["user:“bob", "unclosed quote after user:", 'close it with another " (quotes cannot nest)'],
    ['usr:"bob', "unclosed quote after usr:", 'close it with another " (quotes cannot nest)'],
    [
      'since:7d "page title',
      'unclosed quote before "page title"',
      'close it with another " (quotes cannot nest)',
    ],
    ['"', "unclosed quote at the end", 'close it with another " (quotes cannot nest)'],
    ['"""', "unclosed quote at the end", 'close it with another " (quotes cannot nest)'],
    ["user:", "missing value after user:", "no space after the colon: user:alice@example.com"],
    ["user: bob", "missing value after user:", "no space after the colon: user:alice@example.com"],
    ['tool:""', "missing value after tool:", "no space after the colon: tool:createJiraIssue"],
    ["tool:,", "missing value after tool:", "no space after the colon: tool:createJiraIssue"],
    ["limit:0", 'limit must be a whole number from 1 to 200, not "0"'],
    [
      "limit:201",
      'limit must be a whole number from 1 to 200, not "201"',
      "did you mean limit:200?",
    ],
    ["limit:-1", 'limit must be a whole number from 1 to 200, not "-1"'],
    ["limit:ten", 'limit must be a whole number from 1 to 200, not "ten"'],
    [
      "site:https://",
      'bad site "https://": give its host name',
      "for example site:acme.atlassian.net",
    ],
    [
      // A bare name becomes <name>.atlassian.net, which must stay within the value limit.
      `site:${"a".repeat(190)}`,
      `bad site "${"a".repeat(39)}…": give its host name`,
      "for example site:acme.atlassian.net",
    ],
    [
      "since:401d",
      "the window since:401d to now spans 401 days: at most 400",
      "did you mean since:400d?",
    ],
    [
      "since:2025-01-01 until:2026-11-01",
      "the window since:2025-01-01 to until:2026-11-01 spans 670 days: at most 400",
      "did you mean since:2025-09-28 until:2026-11-01?",
    ],
    [
      "since:2025-09-30 until:2026-11-04",
      "the window since:2025-09-30 to until:2026-11-04 spans 401 days: at most 400",
      "did you mean since:2025-10-01 until:2026-11-04?",
    ],
    [
      "since:900d until:7d",
      "the window since:900d to until:7d spans 893 days: at most 400",
      "did you mean since:407d until:7d?",
    ],
    // 400 days are no whole number of weeks: the since: is said in days.
    [
      "since:60w until:1w",
      "the window since:60w to until:1w spans 413 days: at most 400",
      "did you mean since:407d until:1w?",
    ],
    [
      "since:2025-01-01 until:now",
      "the window since:2025-01-01 to until:now spans 684 days: at most 400",
      "did you mean since:400d?",
    ],
    // The latest since: that fits would make a window all to come.
    [
      "since:2025-01-01 until:2030-01-01",
      "the window since:2025-01-01 to until:2030-01-01 spans 1827 days: at most 400",
    ],
    [
      "since:2026-11-08 until:2026-11-01",
      "since:2026-11-08 is not before until:2026-11-01",
      "did you mean since:2026-11-01 until:2026-11-08?",
    ],
    // One moment: the swap would be the question refused.
    [
      "since:2h until:2h",
      "since:2h is not before until:2h",
      "give an until: later than since:2h, or leave until: out",
    ],
    [
      "since:24h until:1d",
      "since:24h is not before until:1d",
      "give an until: later than since:24h, or leave until: out",
    ],
    // The swap would be all after now: refused in its turn.
    [
      "since:2026-12-02 until:2026-12-01",
      "since:2026-12-02 is not before until:2026-12-01",
      "since: counts back from now: since:7d, or a past date",
    ],
    // One moment, now: since: alone would be refused as not before now.
    [
      "since:0m until:0m",
      "since:0m is not before until:0m",
      "since: counts back from now: since:7d, or a past date",
    ],
    [
      "since:0h until:now",
      "since:0h is not before until:now",
      "since: counts back from now: since:7d, or a past date",
    ],
    [
      "since:0m",
      "since:0m is not before now",
      "since: counts back from now: since:7d, or a past date",
    ],
    [
      "since:2027-01-01",
      "since:2027-01-01 is not before now",
      "since: counts back from now: since:7d, or a past date",
    ],
    // Nothing has happened in it yet: not answered as a quiet week.
    [
      "until:2027-01-01",
      "the window since:2026-12-26 to until:2027-01-01 is all after now",
      "until: a past date, or since: alone",
    ],
    [
      "since:2026-12-01 until:2026-12-31",
      "the window since:2026-12-01 to until:2026-12-31 is all after now",
      "give a since: and an until: in the past",
    ],
    [`${"x ".repeat(101)}`, "too many terms (101): at most 100"],
    [
      `user:${Array.from({ length: 21 }, (_, i) => `u${i}`).join(",")}`,
      "too many values of user: (21): at most 20",
    ],
    [`user:${"a".repeat(201)}`, "the value of user: is too long (201 characters, at most 200)"],
    [
      "a".repeat(10_000),
      `the word "${"a".repeat(39)}…" is too long (10000 characters, at most 200)`,
    ],
  ];
  it.each(cases)("%s", (input, message, suggestion) => {
    const error = fail(input);
    expect(error.message).toBe(message);
    expect(error.suggestion).toBe(suggestion);
  });

  it("always gives two example queries, which parse", () => {
    for (const [input] of cases) {
      const { examples } = fail(input);
      expect(examples).toHaveLength(2);
      for (const example of examples) expect(parse(example).ok, example).toBe(true);
    }
  });

  it("suggests only what parses: a number of days, or a date from its digits", () => {
    for (const input of [
      "since:7",
      "since:20261101",
      "until:20261101",
      "since:2026-11-01 until:20261108",
    ]) {
      const hint = /^did you mean (.*)\?$/.exec(fail(input).suggestion ?? "")?.[1];
      expect(hint, input).toBeDefined();
      const followed = input.replace(/\S+$/, hint ?? "");
      expect(parse(followed).ok, followed).toBe(true);
    }
  });

  it("advises, for a since: not before its until:, what is answered when followed", () => {
    for (const input of [
      "since:2026-11-08 until:2026-11-01",
      "since:2026-12-01 until:2026-11-01",
      "since:2026-12-02 until:2026-12-01",
      "since:2h until:2h",
      "since:24h until:1d",
      "since:0m until:0m",
      "since:now until:now",
      "since:0h until:now",
    ]) {
      const advice = fail(input).suggestion ?? "";
      const [since = "", until = ""] = input.split(" ");
      const followed =
        /^did you mean (.*)\?$/.exec(advice)?.[1] ??
        (advice.endsWith("or leave until: out") ? since : `since:7d ${until}`);
      expect(parse(followed).ok, `${input} → ${advice}`).toBe(true);
    }
  });

  it("suggests, for a since: reaching back too far, a window that is answered", () => {
    for (const input of [
      "since:14 months",
      "since:14months",
      "since:14 moths",
      "since:60 weeks",
      "since:500",
      "since:3 years",
      "since:999999999months",
    ]) {
      const hint = /^did you mean (\S+)\?/.exec(fail(input).suggestion ?? "")?.[1] ?? "";
      const q = ok(hint);
      expect(q.until - q.since, `${input} → ${hint}`).toBeLessThanOrEqual(400 * DAY);
    }
  });

  it("suggests, for a window too long with both ends given, the longest that is answered", () => {
    for (const [input, zone] of [
      ["since:2025-01-01 until:2026-11-01", NY],
      ["since:2025-09-30 until:2026-11-04", "Europe/Berlin"],
      ["since:2025-01-01 until:2026-11-10T12:00Z", "Asia/Kolkata"],
      ["since:900d until:7d", NY],
      ["since:60w until:1w", NY],
      ["since:2025-01-01 until:2w", "Europe/Berlin"],
      ["since:2025-01-01 until:yesterday", "Australia/Sydney"],
    ] as const) {
      const hint = /^did you mean (.*)\?$/.exec(fail(input, zone).suggestion ?? "")?.[1] ?? "";
      const q = ok(hint, zone);
      expect(q.until - q.since, hint).toBeGreaterThan(399 * DAY);
      expect(describeQuery(q), input).toContain(input.split(" ")[1]);
    }
  });

  it("suggests no date of a month that is not (day and month swapped)", () => {
    for (const input of ["since:20261311", "until:20260011", "since:20260230"]) {
      const r = parse(input);
      expect(r.ok, input).toBe(false);
      expect(r.ok ? undefined : r.error.suggestion, input).toBeUndefined();
    }
  });

  it("gives examples of the key in question", () => {
    expect(fail("class:wrte").examples[0]).toMatch(/^class:/);
    expect(fail("usr:bob").examples[0]).toMatch(/^user:/);
    expect(fail("since:7x").examples.join(" ")).toMatch(/since:/);
  });

  it("lists the keys and how to search for a colon word when no key is near", () => {
    expect(fail("zzzzzzz:1").suggestion).toBe(
      'keys are user, tool, class, product, site, action, ip, country, auth, rule, status, since, until, limit, format, org; to search for the text, quote it: "zzzzzzz:1"',
    );
  });

  it("suggests quotes that can be written when the colon word was quoted in part", () => {
    expect(fail('qqq:"x y"').suggestion).toMatch(/quote it: "qqq:x y"$/);
  });

  it("says a key without its colon, or a time without its key, is looked for as a word", () => {
    expect(fail("user:alice@example.com since 1d")).toMatchObject({
      message: '"since" alone is looked for as a word: a key takes its value after a colon',
      suggestion: 'did you mean since:1d? (in quotes, "since" is looked for as a word)',
    });
    expect(fail("User alice").suggestion).toMatch(/^did you mean user:alice\?/);
    expect(fail("class:write 7d")).toMatchObject({
      message: '"7d" alone is looked for as a word: a time goes after since: or until:',
      suggestion: 'did you mean since:7d? (in quotes, "7d" is looked for as a word)',
    });
    expect(fail("2026-11-01").suggestion).toMatch(/^did you mean since:2026-11-01\?/);
    expect(fail("user:bob Today").suggestion).toMatch(/^did you mean since:today\?/);
    expect(fail("yesterday").suggestion).toMatch(/^did you mean since:yesterday\?/);
    expect(fail("since:1d NOW").suggestion).toMatch(/^did you mean until:now\?/);
    expect(fail("Me since:24h").suggestion).toMatch(/^did you mean user:me\?/);
    // A time of day parted from its date by a space: the date-time it meant, in the reader's zone.
    expect(fail("since:2026-11-04 9:00").suggestion).toMatch(
      /^did you mean since:"2026-11-04 09:00"\?/,
    );
    expect(fail("since:today 14:00:30").suggestion).toMatch(
      /^did you mean since:"2026-11-15 14:00:30"\?/,
    );
    // 14:00 is still ahead in New York (07:00): the example is yesterday's.
    expect(fail("since:7d 14:00").suggestion).toMatch(/^for example since:"2026-11-14 14:00"/);
    expect(ok('"14:00" since:"2026-11-14 14:00"').words).toEqual(["14:00"]);
    // Quoted, or not a time, they are words, and stay quoted in the canonical text.
    expect(ok('"since" "7d"').words).toEqual(["since", "7d"]);
    expect(ok(describeQuery(ok('"since" "7d"'))).words).toEqual(["since", "7d"]);
    expect(ok('"today" "Now" "me"').words).toEqual(["today", "Now", "me"]);
    expect(ok(describeQuery(ok('"today" "Now" "Me"'))).words).toEqual(["today", "Now", "Me"]);
    expect(ok("2fa 5xx").words).toEqual(["2fa", "5xx"]);
  });

  it("counts the values of a key over all its terms", () => {
    const thirty = Array.from({ length: 30 }, (_, i) => `tool:t${i}`).join(" ");
    expect(fail(thirty).message).toBe("too many values of tool: (21): at most 20");
    expect(ok(Array.from({ length: 20 }, (_, i) => `tool:t${i}`).join(" ")).tools).toHaveLength(20);
  });

  it("suggests the rule meant by a near miss", () => {
    expect(fail("rule:mcp-ofhours").suggestion).toBe("did you mean rule:mcp-off-hours?");
    expect(ok("rule:MCP-Not-Me rule:mcp-hidden-by-mute").rules).toEqual([
      "mcp-not-me",
      "mcp-hidden-by-mute",
    ]);
  });

  // Searched as ids, they matched nothing and were answered "try a longer window".
  it.each([
    ["rule:off-hours", "mcp-off-hours"],
    ["rule:Burst", "mcp-burst"],
    ["rule:canary", "mcp-canary"],
    ["rule:api-token", "mcp-api-token"],
    ["rule:not-me", "mcp-not-me"],
    ["rule:burts", "mcp-burst"],
  ])("answers %s, the short name of a rule, with its id", (input, id) => {
    const error = fail(input);
    expect(error.message).toBe(`no rule is called "${input.slice(5)}"`);
    expect(error.suggestion).toBe(`did you mean rule:${id}?`);
  });

  it("refuses a rule id no rule has, naming the rules", () => {
    const error = fail("rule:retired-rule-of-2025");
    expect(error.message).toMatch(/^no rule is called "retired-rule-of-2025": rule: takes /);
    for (const id of ["mcp-off-hours", "mcp-app-authorized", "mcp-not-me", "mcp-hidden-by-mute"])
      expect(error.message).toContain(id);
  });

  // Their alerts are about an admin's act, never an MCP call: no window finds their events.
  it.each(["two-step-disabled", "api-token-created", "org-admin-granted", "user-impersonated"])(
    "answers rule:%s, an identity rule, with where its alerts are",
    (id) => {
      const error = fail(`rule:${id} status:open`);
      expect(error.message).toBe(
        `${id} alerts are about identity events, not MCP calls, and queries read MCP calls only`,
      );
      expect(error.suggestion).toMatch(/alert channel/);
    },
  );

  it("answers a near miss of an identity rule as the rule itself", () => {
    expect(fail("rule:two-step-disable").message).toMatch(/^two-step-disabled alerts are about/);
  });

  it("reads class:delete as destructive", () => {
    expect(ok("class:delete").classes).toEqual(["destructive"]);
  });

  it("shows long and multi-line values shortened to one line", () => {
    const error = fail(`class:"${"w\n".repeat(50)}"`);
    expect(error.message).toBe(
      `class must be read, search, write, destructive or admin, not "${"w ".repeat(19)}w…"`,
    );
  });

  it("does not answer Object.prototype names as keys or values", () => {
    expect(fail("constructor:x").message).toBe('unknown key "constructor"');
    expect(fail("class:constructor").message).toMatch(/^class must be/);
    expect(fail("since:7constructor").message).toMatch(/^bad duration/);
    expect(ok("__proto__:x").words).toEqual(["__proto__:x"]);
  });

  // Asked on 15 November, last year's 30 November would be refused after since:2026-11-01.
  it.each([
    ["since:2026-11-01 until:Nov 30", "did you mean until:2026-11-30?"],
    ["since:2025-12-20 until:5 jan", "did you mean until:2026-01-05?"],
    ["until:Nov 10", "did you mean until:2026-11-10?"],
  ])("answers %s with this year's day, or the next after the since:", (input, hint) => {
    expect(fail(input).suggestion).toBe(hint);
    const followed = input.replace(/(until|since):\S+ \S+$/, hint.slice(13, -1));
    expect(ok(followed).since).toBeLessThan(ok(followed).until);
  });

  it("suggests only a day whose window is answered: since: within 400 days, until: alone whose week has begun", () => {
    // Asked on 15 November 2026: this year's 30 November is a week still to come.
    expect(fail("until:Nov 30").suggestion).toBe("did you mean until:2025-11-30?");
    // The latest 29 February, 2024's, is more than 400 days back: no day is suggested.
    expect(fail("since:29 Feb").suggestion).toBe("for example since:2026-11-08");
    expect(fail("until:29 Feb").suggestion ?? "").not.toContain("did you mean");
    for (const input of [
      "until:Nov 30",
      "until:Nov 10",
      "since:3 Dec",
      "since:Nov 16",
      "since:29 Feb",
      "until:29 Feb",
      "since:2026-11-01 until:Nov 30",
      "since:2025-12-20 until:5 jan",
      "since:2025-11-01 until:Dec 30",
    ]) {
      const hint = /did you mean ((?:since|until):\S+)\?/.exec(fail(input).suggestion ?? "")?.[1];
      if (hint === undefined) continue;
      const followed = input.replace(/(since|until):\S+ \S+$/, hint);
      expect(parseQuery(followed, { now: NOW, timeZone: NY }).ok, `${input} → ${followed}`).toBe(
        true,
      );
    }
  });

  it("answers a bad clock instead of throwing", () => {
    const r = parseQuery("since:7d", { now: Number.NaN, timeZone: NY });
    expect(r.ok).toBe(false);
  });
});

describe("describeQuery", () => {
  const cases: [string, string][] = [
    ["", "since:7d"],
    ["runbook USER:alice since:24h", "user:alice since:24h runbook"],
    [
      'user:"Çarol Ñúñez" user:me user:"me" user:<@U1|x> user:"@bob" tool:a,b class:write',
      'user:"Çarol Ñúñez" user:me user:"me" user:<@U1> user:"@bob" tool:a tool:b class:write since:7d',
    ],
    [
      'tool:"a,b" country:"United States" "usr:bob" https://x',
      'tool:"a,b" country:"United States" since:7d "usr:bob" https://x',
    ],
    [
      "status:ack auth:token site:acme limit:50 format:csv",
      "site:acme.atlassian.net auth:api-token status:acknowledged since:7d limit:50 format:csv",
    ],
    ["until:2026-11-07 limit:20 format:table", "since:2026-11-01 until:2026-11-07"],
    ['"<@U1>" "tool://x"', 'since:7d "<@U1>" "tool://x"'],
  ];
  it.each(cases)("%s", (input, canonical) => {
    const q = ok(input);
    expect(describeQuery(q)).toBe(canonical);
    expect(ok(canonical)).toEqual(q);
  });

  it("drops quote characters, which cannot be written in a quoted value", () => {
    const q = { ...ok(""), words: ['say "hi"'] };
    expect(describeQuery(q)).toBe('since:7d "say hi"');
  });
});

describe("HELP_EXAMPLES", () => {
  it("all parse", () => {
    expect(HELP_EXAMPLES.length).toBeGreaterThanOrEqual(3);
    for (const example of HELP_EXAMPLES) expect(parse(example).ok, example).toBe(true);
  });
});

describe("parseQuery properties", () => {
  const nasty = fc.constantFrom(
    '"',
    "“",
    "”",
    "„",
    ":",
    ",",
    "<",
    ">",
    "@",
    "|",
    " ",
    "\n",
    "\u0000",
    "\ud800",
    "\udfff",
    "&amp;",
    "user:",
    "usr:",
    "since:",
    "until:",
    "limit:",
    "class:",
    "site:",
    "<@U1|a b>",
    "<mailto:",
    "me",
    "today",
    "7d",
    "2026-11-01",
    "T09:00Z",
    "//",
    "constructor",
  );
  const anyChar = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const input = fc.string({
    unit: fc.oneof(nasty, anyChar, fc.string({ unit: "grapheme", maxLength: 1 })),
    maxLength: 60,
  });

  it("never throws and always answers with a reason and two examples", () => {
    fc.assert(
      fc.property(
        input,
        fc.constantFrom(NY, "UTC", "Asia/Kolkata", "Not/AZone"),
        (text, timeZone) => {
          const r = parseQuery(text, { now: NOW, timeZone });
          if (!r.ok) {
            expect(r.error.message).not.toBe(INTERNAL_ERROR_MESSAGE);
            expect(r.error.message.length).toBeGreaterThan(0);
            expect(r.error.examples).toHaveLength(2);
          } else {
            expect(r.query.since).toBeLessThan(r.query.until);
            expect(ok(describeQuery(r.query), timeZone)).toEqual(r.query);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("handles 10k characters of anything", () => {
    const big = fc.string({ unit: fc.oneof(nasty, anyChar), minLength: 10_000, maxLength: 10_000 });
    fc.assert(
      fc.property(big, (text) => {
        const r = parse(text);
        if (!r.ok) expect(r.error.message).not.toBe(INTERNAL_ERROR_MESSAGE);
      }),
      { numRuns: 5 },
    );
  });

  /** Values as parsing leaves them: trimmed, non-empty, no quotes, control characters or `&`. */
  const value = fc
    .string({
      unit: fc.oneof(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
        fc.constantFrom(" ", ",", ":", "<", ">", "@", "é", "ß", "Ñ", "\u00a0", "<@U1>", "//"),
      ),
      minLength: 1,
      maxLength: 12,
    })
    .filter((v) => v.trim() === v && v !== "" && !/["“”„&\p{Cc}]/u.test(v));
  const user: fc.Arbitrary<UserRef> = fc.oneof(
    value.map((v) => text(v)),
    fc.constant<UserRef>({ kind: "me" }),
    fc.stringMatching(/^[UW][A-Z0-9]{2,10}$/).map((id): UserRef => ({ kind: "slack", id })),
  );
  const unit = fc.constantFrom(["m", MIN], ["h", HOUR], ["d", DAY], ["w", 7 * DAY]) as fc.Arbitrary<
    [string, number]
  >;
  const window = fc
    .tuple(
      unit,
      fc.integer({ min: 1, max: 57 }),
      fc.option(fc.integer({ min: 0, max: 56 }), { nil: undefined }),
    )
    .filter(([, since, until]) => until === undefined || until < since);

  it("round-trips generated queries through describeQuery", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(user, { selector: (u) => JSON.stringify(u), maxLength: 3 }),
        fc.uniqueArray(value, { maxLength: 3 }),
        fc.uniqueArray(value, { maxLength: 3 }),
        fc.subarray(["read", "search", "write", "destructive"] as const),
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom("table", "csv") as fc.Arbitrary<"table" | "csv">,
        window,
        (users, tools, words, classes, limit, format, [[u, ms], since, until]) => {
          const q: Query = {
            ...ok(""),
            users,
            tools,
            words,
            classes: [...classes],
            limit,
            format,
            since: NOW - since * ms,
            until: until === undefined ? NOW : NOW - until * ms,
            sinceLabel: `${since}${u}`,
            ...(until === undefined ? {} : { untilLabel: `${until}${u}` }),
          };
          expect(parse(describeQuery(q))).toEqual({ ok: true, query: q });
        },
      ),
      { numRuns: 300 },
    );
  });
});
