import { describe, expect, it } from "vitest";
import type { Alert } from "../../src/domain/alert.js";
import { type AlertView, alertMessage } from "../../src/slack/blocks/alert.js";
import { ACTIONS } from "../../src/slack/blocks/alert-actions.js";
import { ASK_ACTIONS, answeredMessage, askMessage } from "../../src/slack/blocks/ask.js";
import { attestationMessage } from "../../src/slack/blocks/attestation.js";
import { growthReply } from "../../src/slack/blocks/growth-reply.js";
import { fitLines, LIMITS } from "../../src/slack/blocks/limits.js";
import { overflowSummary, rollupMessage } from "../../src/slack/blocks/summary.js";
import { verbatim } from "../../src/slack/blocks/verbatim.js";
import { cutMrkdwn, escapeMrkdwn, mrkdwn, truncate } from "../../src/slack/escape.js";
import { anAlert, mcpEvent, T0 } from "../detect/fixtures.js";

const view = (alert: Partial<Alert> = {}, extra: Partial<AlertView> = {}): AlertView => ({
  alert: anAlert(alert),
  event: mcpEvent({ tool: "deleteJiraIssue", toolClass: "destructive" }),
  explanation: "An AI tool deleted something.",
  ...extra,
});

const allText = (value: unknown): string => JSON.stringify(value);

/** Names whose zero-width joiner is part of how they are written, not an emoji's. */
const JOINED = [
  "\u0dc1\u0dca\u200d\u0dbb\u0dd2\u0dba\u0dcf\u0db1\u0dd2", // Sinhala ශ්‍රියානි: the rakaransaya
  "\u0915\u094d\u200d\u0937\u092e\u093e", // Devanagari क्‍षमा: an explicit half form
  "\u0d05\u0d28\u0d4d\u200d\u0d35\u0d30\u0d4d\u200d", // Malayalam അന്‍വര്‍: chillu letters
  "\u09b0\u200d\u09cd\u09af\u09be\u099a\u09c7\u09b2", // Bengali র‍্যাচেল: the ra-phala ya
];

describe("escaping", () => {
  it("lets outside text neither format, link nor break lines", () => {
    expect(escapeMrkdwn("*bold* _it_ ~del~ `code` #general https://x.example\nnext")).toBe(
      "∗bold∗ ＿it＿ ∼del∼ ˋcodeˋ ＃general https:/\u200b/x.example next",
    );
    // An underscore inside a word (an e-mail address, a tool name) stays as it is.
    expect(escapeMrkdwn("john_doe@example.com get_issue")).toBe("john_doe@example.com get_issue");
  });

  it("lets outside text neither hide nor reorder what it says", () => {
    // A right-to-left override shows "moc.elpmaxe@eve" as "eve@example.com"; a bell, an escape
    // sequence, a vertical tab, NEL and an isolate are gone too.
    const hostile = "Eve \u202emoc.elpmaxe@eve\u202c \u0007\u001b[31mred\u000b\u0085\u2066x\u2069";
    expect(escapeMrkdwn(hostile)).toBe("Eve moc.elpmaxe@eve [31mredx");
    expect(truncate(hostile, 100)).toBe("Eve moc.elpmaxe@eve [31mredx");
    // What a message of the app's own means stays: tabs and line breaks of plain text, and the
    // marks right-to-left scripts need.
    expect(truncate("a\tb\nc \u200f\u05e9\u05dc\u05d5\u05dd", 100)).toBe(
      "a\tb\nc \u200f\u05e9\u05dc\u05d5\u05dd",
    );
    // Nor can what shows nothing make two names that read alike compare apart, while emoji keep
    // their joiners, Persian its non-joiner, and a link stays broken.
    const invisible = "A\u200bl\u200ce\u200dx\u2060 \u2064K\ufeffi\u00adm\u180e";
    expect(escapeMrkdwn(invisible)).toBe("Alex Kim");
    expect(truncate(invisible, 100)).toBe("Alex Kim");
    expect(escapeMrkdwn("👩\u200d💻 \u0645\u06cc\u200c\u062e https://x.example")).toBe(
      "👩\u200d💻 \u0645\u06cc\u200c\u062e https:/\u200b/x.example",
    );
    expect(escapeMrkdwn("https:/\u200b/x.example")).toBe("https:/\u200b/x.example");
  });

  it("keeps a zero-width joiner a script shapes with, after a letter and its marks", () => {
    for (const name of JOINED) expect(escapeMrkdwn(name)).toBe(name);
    // Not after a Latin letter, nor alone: there it only hides.
    expect(escapeMrkdwn("Alex\u200d Kim \u200d")).toBe("Alex Kim ");
  });

  it("removes what is hidden in 100,000 characters in linear time", () => {
    for (const long of [
      `\u0915${"\u094d".repeat(100_000)}`,
      "\u0915\u094d\u200d".repeat(33_000),
      "\u200d\u200c".repeat(50_000),
      `a${"\u0301".repeat(50_000)}\u200d`.repeat(2),
    ]) {
      const started = performance.now();
      escapeMrkdwn(long);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it("marks every mrkdwn text object verbatim: no plain-text URL or #channel becomes a link", () => {
    expect(
      verbatim([
        { type: "section", text: { type: "mrkdwn", text: "a" } },
        {
          type: "context",
          elements: [
            { type: "mrkdwn", text: "b" },
            { type: "plain_text", text: "c" },
          ],
        },
        { type: "section", fields: [{ type: "mrkdwn", text: "d", verbatim: false }] },
      ]),
    ).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "a", verbatim: true } },
      {
        type: "context",
        elements: [
          { type: "mrkdwn", text: "b", verbatim: true },
          { type: "plain_text", text: "c" },
        ],
      },
      { type: "section", fields: [{ type: "mrkdwn", text: "d", verbatim: false }] },
    ]);
  });

  it("escapes the ampersand first, then angle brackets", () => {
    expect(escapeMrkdwn("<!channel> & <https://evil.example|Jira>")).toBe(
      "&lt;!channel&gt; &amp; &lt;https:/\u200b/evil.example|Jira&gt;",
    );
    expect(escapeMrkdwn("&lt;")).toBe("&amp;lt;");
  });

  it("cuts to a limit with an ellipsis, never inside an entity or a surrogate pair", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("😀😀😀", 2)).toBe("😀…");
    const cut = mrkdwn("&&&&&&&&&&", 12);
    expect(cut.length).toBeLessThanOrEqual(12);
    expect(cut).toMatch(/^(&amp;)+…$/);
  });

  it("never cuts inside what shows as one character of several code points (a flag, 👩‍💻, é)", () => {
    for (const [one, text] of [
      ["🇫🇷", "ab🇫🇷cd"],
      ["👩‍💻", "ab👩‍💻cd"],
      ["e\u0301", "abe\u0301cd"],
    ] as const) {
      for (const max of [3, 4]) {
        expect(truncate(text, max)).toBe("ab…");
        expect(cutMrkdwn(text, max)).toBe("ab…");
        expect(mrkdwn(text, max)).toBe("ab…");
      }
      // Kept when it fits, in code points, before the ellipsis.
      expect(truncate(text, Array.from(`ab${one}`).length + 1)).toBe(`ab${one}…`);
    }
  });
});

describe("cutting escaped mrkdwn", () => {
  it("only shortens: the zero-width space that breaks :// stays, no entity is split", () => {
    const escaped = escapeMrkdwn("Sign in again at https://evil.example/login & <now>");
    expect(cutMrkdwn(escaped, 3000)).toBe(escaped);
    expect(cutMrkdwn(escaped, 3000)).toContain("https:/\u200b/evil.example");
    expect(cutMrkdwn(escaped, 30)).toBe("Sign in again at https:/\u200b/evi…");
    expect(cutMrkdwn("a &amp; b", 5)).toBe("a …");
    expect(cutMrkdwn("😀😀😀", 2)).toBe("😀…");
  });
});

describe("alert message", () => {
  it("says who, what, where, when and why, with the buttons", () => {
    const message = alertMessage(view());
    const text = allText(message.blocks);
    expect(message.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "🔴 HIGH · mcp-destructive · alert 7", emoji: true },
    });
    for (const part of [
      "Alice Example (alice@example.com)",
      "deleteJiraIssue (destructive) · jira · OPS-1",
      "acme.atlassian.net · 203.0.113.10 · Berlin, Germany",
      "<!date^",
      "Claude",
      "Why: An AI tool deleted something.",
    ]) {
      expect(text).toContain(part);
    }
    const actions = message.blocks.at(-1) as {
      elements: Array<{ action_id: string; value?: string; options?: Array<{ value: string }> }>;
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      ACTIONS.acknowledge,
      ACTIONS.expected,
      ACTIONS.expectedMute,
      ACTIONS.truePositive,
      ACTIONS.settings,
      ACTIONS.snooze,
    ]);
    const [snooze, ...buttons] = actions.elements.reverse();
    // The alert's id and when it was raised: a message from before a restore names its alert.
    const value = `7.${anAlert().createdAt}`;
    expect(buttons.every((e) => e.value === value)).toBe(true);
    expect(snooze?.options?.map((o) => o.value)).toEqual([1, 4, 24].map((h) => `${value}:${h}`));
    expect(message.text).toBe(
      "[HIGH] alert 7: deleteJiraIssue by Alice Example — alice@example.com via Claude on acme.atlassian.net",
    );
    expect(message.metadata).toEqual({
      event_type: "mcp_alert",
      event_payload: { alert_id: 7, org_id: "org-1", revision: 1 },
    });
  });

  it("offers no mute, snooze or suppress on a canary read, even after 3 Expected", () => {
    const learned = { expected: 3, mute: undefined, suppression: undefined };
    const ids = (ruleId: string) =>
      (
        alertMessage(view({ ruleId }, { learned })).blocks.filter(
          (b) => b.type === "actions",
        ) as Array<{ elements: Array<{ action_id: string }> }>
      ).flatMap((b) => b.elements.map((e) => e.action_id));
    expect(ids("mcp-canary")).toEqual([
      ACTIONS.acknowledge,
      ACTIONS.expected,
      ACTIONS.truePositive,
      ACTIONS.settings,
    ]);
    // Another rule's taught alert offers them.
    expect(ids("mcp-write")).toEqual(
      expect.arrayContaining([
        ACTIONS.expectedMute,
        ACTIONS.snooze,
        ACTIONS.mute30,
        ACTIONS.suppress,
      ]),
    );
  });

  it("says when the end user is unknown, and when it arrived late", () => {
    const text = allText(alertMessage(view({ authKind: "api-token", late: true })).blocks);
    expect(text).toContain(
      "*Who*\\nAlice Example (alice@example.com)\\nAPI token — end user unknown",
    );
    expect(text).toContain("arrived late");
  });

  it("says in its notification, as in its blocks, that an API token's end user is unknown", () => {
    const token = alertMessage(view({ authKind: "api-token" }));
    expect(token.text).toMatch(/alice@example\.com · API token, end user unknown/);
    const rule = alertMessage(view({ authKind: "api-token", ruleId: "mcp-api-token" }));
    expect(rule.text).not.toContain("end user unknown");
  });

  it("shows a group's count, span and tools", () => {
    const text = allText(
      alertMessage(view({ eventCount: 4, lastSeen: T0 + 300_000, tools: ["a", "b"] })).blocks,
    );
    expect(text).toContain("*Events*\\n4 between");
    expect(text).toContain("*Tools*\\na, b");
  });

  it("does not present a burst's findings as its calls: its title counts those", () => {
    const message = alertMessage(
      view({
        ruleId: "mcp-burst",
        title: "55 MCP calls by Carol within 10 minutes",
        detail: { calls: 55, windowMinutes: 10, threshold: 50, figure: 55 },
        eventCount: 5,
        lastSeen: T0 + 4_000,
      }),
    );
    const header = (message.blocks[0] as { text: { text: string } }).text.text;
    expect(header).toMatch(/alert \d+ · 5 findings$/);
    const text = allText(message.blocks);
    expect(text).toContain("*Findings*\\n5 between");
    expect(text).not.toContain("*Events*");
    expect(text).toContain("the calls counted began up to 10 minutes before");
    // Its thread counts them the same way when it grows.
    const grown = growthReply(view({ detail: { figure: 55 }, eventCount: 6 }).alert);
    expect(grown.text).toMatch(/^Now 6 findings, the last at/);
    expect(growthReply(view({ eventCount: 6 }).alert).text).toMatch(/^Now 6 events, the last at/);
  });

  it("replaces the buttons by who handled it, with an undo", () => {
    const message = alertMessage(
      view({ status: "acknowledged" }, { handled: { status: "acknowledged", by: "U123", at: T0 } }),
    );
    const text = allText(message.blocks);
    expect(text).toContain("Acknowledged by <@U123> at <!date^");
    expect(text).toContain(ACTIONS.reopen);
    expect(text).not.toContain(ACTIONS.acknowledge);
  });

  it("escapes a hostile display name and resource everywhere", () => {
    const hostile = "<!channel> <https://evil.example|Jira>";
    const message = alertMessage({
      ...view({ userName: hostile, title: `deleteJiraIssue by ${hostile}` }),
      event: mcpEvent({ resource: hostile, clientApp: hostile, siteHost: hostile }),
    });
    const text = allText(message);
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<https://evil");
    expect(text).toContain("&lt;!channel&gt; &lt;https:/\u200b/evil.example|Jira&gt;");
  });

  it("stays within Block Kit's limits for very long names and resources", () => {
    const long = "Ω".repeat(5000);
    const message = alertMessage({
      ...view({
        userName: long,
        title: long,
        tools: Array.from({ length: 300 }, (_, i) => `tool${i}${long.slice(0, 20)}`),
        eventCount: 300,
      }),
      event: mcpEvent({ resource: long, siteHost: long, clientApp: long }),
      explanation: long,
    });
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.text);
    expect(JSON.stringify(message.blocks).length).toBeLessThan(LIMITS.messageBlocks);
    for (const block of message.blocks as unknown as Array<Record<string, unknown>>) {
      if (block.type === "header")
        expect((block.text as { text: string }).text.length).toBeLessThanOrEqual(LIMITS.header);
      if (block.type === "section" && block.text)
        expect((block.text as { text: string }).text.length).toBeLessThanOrEqual(
          LIMITS.sectionText,
        );
      for (const field of (block.fields as Array<{ text: string }> | undefined) ?? [])
        expect(field.text.length).toBeLessThanOrEqual(LIMITS.field);
      for (const element of (block.elements as Array<{ text: unknown }> | undefined) ?? []) {
        if (typeof element.text === "string")
          expect(element.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      }
    }
  });
});

describe("overflow summary", () => {
  it("counts by rule and person, escaped", () => {
    const alerts = [
      anAlert({ id: 3 }),
      anAlert({ id: 4, ruleId: "mcp-write" }),
      anAlert({ id: 5, userId: "acc-here", userName: "<!here>" }),
    ];
    const message = overflowSummary(alerts, "org-1");
    const text = allText(message.blocks);
    expect(message.text).toContain("3 more alerts");
    expect(text).toContain("mcp-destructive: 2");
    expect(text).toContain("&lt;!here&gt;: 1");
    expect(message.metadata?.event_payload).toMatchObject({
      first_alert_id: 3,
      last_alert_id: 5,
      count: 3,
    });
  });
});

describe("text within a limit", () => {
  it("cuts between lines, or a line too long for all the room inside it, never in an escape", () => {
    expect(fitLines("short")).toBe("short");
    const long = `${"x".repeat(2957)}&amp;${"y".repeat(100)}\nsecond line`;
    const cut = fitLines(long);
    expect(cut.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(cut).toMatch(/^x{2957}…\n…and 1 more line$/);
    expect(fitLines(`${"😀".repeat(2000)}`)).toMatch(/^(😀)+…$/u);
    expect(fitLines(`${"z".repeat(2950)} <https://a.example/${"p".repeat(99)}|link>`)).toMatch(
      /^z{2950} …$/,
    );
  });
});

describe("the hour's roll-up", () => {
  it("keeps its by-rule field within Block Kit's 2,000 characters however many rules there are", () => {
    const alerts = Array.from({ length: 120 }, (_, i) =>
      anAlert({ id: i + 1, ruleId: `custom-rule-with-a-long-name-${i}`, severity: "medium" }),
    );
    const message = rollupMessage(alerts, { orgId: "org-1", hour: T0, maxPerHour: 10 });
    const fields = message.blocks.flatMap((b) => (b.type === "section" ? (b.fields ?? []) : []));
    for (const field of fields) expect(field.text.length).toBeLessThanOrEqual(LIMITS.field);
    expect(fields[0]?.text).toMatch(/custom-rule-with-a-long-name-0: 1\n[\s\S]*…and \d+ more$/);
  });
});

describe("the hour's roll-up lists", () => {
  it("each alert it holds by id and title, the most severe first, and how to find them", () => {
    const alerts = [
      anAlert({ id: 7, severity: "low", title: "a late <!channel> call" }),
      anAlert({ id: 8, severity: "medium", title: "first MCP use by Bob" }),
    ];
    const one = JSON.stringify(rollupMessage(alerts, { orgId: "org-b", hour: T0, maxPerHour: 1 }));
    expect(one).toContain(
      "• alert 8 · medium · first MCP use by Bob\\n• alert 7 · low · a late &lt;!channel&gt; call",
    );
    expect(one).toContain(
      "The App Home is where they are handled: it lists open alerts with the alert buttons, the most severe first and, within a severity, these first (the oldest first), as many as fit, the next as those are handled (an organization it shows in one line, when many are watched, only counts them); `/mcp-activity status:open` shows them while open.",
    );
    const several = rollupMessage(alerts, {
      orgId: "org-b",
      hour: T0,
      maxPerHour: 1,
      organization: "Beta",
    });
    expect(JSON.stringify(several)).toContain("`/mcp-activity status:open org:org-b`");
    // The budget is each organization's, not the channel's.
    expect(several.text).toBe("2 more alerts of Beta this hour, past Beta's 1 an hour");
    expect(rollupMessage(alerts, { orgId: "org-b", hour: T0, maxPerHour: 1 }).text).toBe(
      "2 more alerts this hour, past the channel's 1 an hour",
    );
  });

  it("as many alerts as fit in a section, saying how many more", () => {
    const alerts = Array.from({ length: 200 }, (_, i) =>
      anAlert({ id: i + 1, severity: "medium", title: `alert title ${"x".repeat(40)}` }),
    );
    const message = rollupMessage(alerts, { orgId: "org-1", hour: T0, maxPerHour: 10 });
    const list = message.blocks[1] as { text: { text: string } };
    expect(list.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(list.text.text).toMatch(/^• alert 1 · medium[\s\S]*…and \d+ more lines$/);
  });
});

describe("the weekly check", () => {
  const check = {
    id: 3,
    orgId: "org-b",
    weekStart: T0 - 7 * 86_400_000,
    weekEnd: T0,
    accountId: "acc-alice",
    slackUser: "UALICE",
    name: "Alice",
    email: "alice@example.com",
    calls: 26,
    writes: 3,
    deletes: 1,
    places: ["OPS"],
    storedThrough: null,
    dmChannel: null,
    dmTs: null,
    answer: null,
    answeredAt: null,
    alertId: null,
    createdAt: T0,
  } as const;

  it("suggests the query of its own week, naming the organization when several are watched", () => {
    expect(JSON.stringify(attestationMessage(check))).toContain(
      "`/mcp-activity user:me since:2026-10-28T10:00Z until:2026-11-04T10:00Z` lists the calls.",
    );
    expect(JSON.stringify(attestationMessage(check, "Beta"))).toContain(
      "`/mcp-activity user:me since:2026-10-28T10:00Z until:2026-11-04T10:00Z org:org-b` lists the calls.",
    );
  });

  it("names the organization in its notification when several are watched, escaped", () => {
    expect(attestationMessage(check).text).toBe(
      "AI tools acted as you: 26 calls, 3 writes, 1 destructive or admin call in OPS. Does that look right?",
    );
    expect(attestationMessage(check, "Beta <!here>").text).toBe(
      "AI tools acted as you: 26 calls, 3 writes, 1 destructive or admin call in OPS · Beta &lt;!here&gt;. Does that look right?",
    );
  });
});

describe("the question to the person", () => {
  const event = { ...mcpEvent(), tool: "deleteJiraIssue", clientApp: "Claude" };

  it("says what was done with their account, with the two answers carrying the alert id", () => {
    const alert = anAlert({ id: 9 });
    const message = askMessage(alert, event);
    const text = JSON.stringify(message.blocks);
    expect(message.text).toContain("Did you do this?");
    expect(text).toContain("deleteJiraIssue");
    expect(text).toContain("Claude");
    expect(text).not.toContain("organization");
    const actions = message.blocks.find((b) => b.type === "actions") as {
      elements: Array<{ action_id: string; value: string }>;
    };
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      [ASK_ACTIONS.yes, `9.${alert.createdAt}`],
      [ASK_ACTIONS.no, `9.${alert.createdAt}`],
    ]);
  });

  it("asks about the whole alert first, a burst's count and window, not only its first call", () => {
    const burst = anAlert({
      ruleId: "mcp-burst",
      title: "55 MCP calls by Carol within 10 minutes",
      eventCount: 5,
    });
    const message = askMessage(burst, event);
    expect(message.text).toMatch(
      /^Did you do this\? 55 MCP calls by Carol within 10 minutes — an AI tool used your Atlassian account: deleteJiraIssue/,
    );
    const first = message.blocks[0] as { text: { text: string } };
    expect(first.text.text).toContain("*55 MCP calls by Carol within 10 minutes*.");
    const answered = answeredMessage(burst, event, "yes", T0);
    expect(JSON.stringify(answered.blocks)).toContain("55 MCP calls by Carol within 10 minutes");
  });

  it("names the organization, escaped, when several are watched, in its notification too", () => {
    const named = askMessage(anAlert(), event, "Beta <!channel>");
    expect(JSON.stringify(named.blocks)).toContain(
      "in the Atlassian organization *Beta &lt;!channel&gt;*",
    );
    const plain = askMessage(anAlert(), event);
    expect(plain.text).toBe(
      "Did you do this? deleteJiraIssue by Alice Example — an AI tool used your Atlassian account: deleteJiraIssue (read) · jira · OPS-1",
    );
    expect(named.text).toBe(`${plain.text} · Beta &lt;!channel&gt;`);
  });
});
