/** The App Home's pure builders: what they show, escaped, within Block Kit's limits. */
import { describe, expect, it } from "vitest";
import type { Alert } from "../../../src/domain/alert.js";
import type { OrganizationHome } from "../../../src/domain/home.js";
import { personHome } from "../../../src/slack/blocks/home-person.js";
import { responderHome } from "../../../src/slack/blocks/home-responder.js";
import { dayLabel, textBars } from "../../../src/slack/blocks/home-view.js";
import { escapeMrkdwn } from "../../../src/slack/escape.js";
import { lastDays } from "../../../src/slack/home/home-days.js";
import { DAY } from "../../../src/time-units.js";
import { T0 } from "../../detect/fixtures.js";
import { blockErrors } from "../../fakes/slack-limits.js";

const alert = (id: number): Alert => ({
  id,
  orgId: "org-1",
  ruleId: "mcp-destructive",
  severity: id % 2 === 0 ? "high" : "medium",
  status: "open",
  groupKey: `g${id}`,
  title: `alert ${id} <!here>`,
  detail: {},
  userId: "acc",
  userName: "*Mallory* <@U1>",
  userEmail: null,
  authKind: "oauth",
  firstEventSeq: 1,
  lastEventSeq: 1,
  firstSeen: T0,
  lastSeen: T0,
  eventCount: 1,
  tools: [],
  late: false,
  suppressedBy: null,
  notify: true,
  revision: 0,
  createdAt: T0,
  updatedAt: T0,
});

const figures = { calls: 10, people: 2, writes: 3, deletes: 1 };

const org = (orgId: string, alerts: number): OrganizationHome => ({
  orgId,
  name: orgId,
  openAlerts: Array.from({ length: Math.min(alerts, 20) }, (_, i) => alert(i + 1)),
  unposted: 0,
  unpostedListed: new Set(),
  openBySeverity: { high: Math.floor(alerts / 2), medium: Math.ceil(alerts / 2) },
  today: figures,
  yesterday: { ...figures, calls: 5 },
  topPeople: [{ key: "<!channel>", count: 7 }],
  topTools: [],
  health: { healthy: false, lastPoll: null, lagSeconds: null, problems: ["the key <was> refused"] },
  apiKeyExpires: undefined,
  apiKeyRejected: false,
});

describe("the responder's Home", () => {
  it("shows up to 8 organizations in full, listing fewer alerts as they grow", () => {
    for (const count of [1, 2, 5, 8]) {
      const organizations = Array.from({ length: count }, (_, i) => org(`org-${i}`, 30));
      const view = responderHome({ now: T0, notice: "Done.", organizations });
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      const text = JSON.stringify(view.blocks);
      expect(text).not.toContain("one line each");
      for (let i = 0; i < count; i++) expect(text).toContain(`🏢 org-${i}`);
      expect(text.match(/\*Health\*/g)).toHaveLength(count);
      expect(text.match(/\*API key\*/g)).toHaveLength(count);
      expect(text.match(/\*Top tools, last 24 hours\*/g)).toHaveLength(count);
      // Each lists some of its alerts with their buttons, and says how many more.
      expect(text.match(/"block_id":"alert_actions_\d+"/g)?.length).toBeGreaterThanOrEqual(count);
      expect(text.match(/…and \d+ more open alerts/g)).toHaveLength(count);
    }
  });

  it("shows each organization past those that fit in full in one line, those needing attention first", () => {
    for (const count of [9, 12, 14, 40]) {
      const healthy = (o: OrganizationHome): OrganizationHome => ({
        ...o,
        health: { healthy: true, lastPoll: T0, lagSeconds: 60, problems: [] },
      });
      const organizations = Array.from({ length: count }, (_, i) => healthy(org(`org-${i}`, 0)));
      // The last one's poller fails: it is shown in full, past the eighth.
      organizations[count - 1] = org(`org-${count - 1}`, 0);
      const view = responderHome({ now: T0, notice: "Done.", organizations });
      expect(view.blocks.length, `${count} organizations`).toBeLessThanOrEqual(100);
      const text = JSON.stringify(view.blocks);
      const full = text.match(/🏢 org-\d+/g) ?? [];
      expect(full).toContain(`🏢 org-${count - 1}`);
      expect(text).toContain("the key &lt;was&gt; refused");
      const lines = text.match(/✅ \*org-\d+\* · no open alerts · healthy/g) ?? [];
      expect(full.length + lines.length, `${count} organizations`).toBe(count);
      expect(text).toMatch(
        new RegExp(`\\*${count - full.length} more organizations?, one line each\\*`),
      );
      expect(text).not.toContain("not shown here");
    }
  });

  it("says the first problem of an unhealthy organization shown in one line, unhealthy ones first", () => {
    const organizations = Array.from({ length: 14 }, (_, i) => org(`org-${i}`, 3));
    const view = responderHome({ now: T0, organizations });
    const text = JSON.stringify(view.blocks);
    const lines = text.match(
      /⚠️ \*org-\d+\* · 3 open alerts in the alert channel · needs attention: the key &lt;was&gt; refused/g,
    );
    expect(lines).toHaveLength(14 - 8);
  });

  it("keeps every organization's line however long, each section within its 3,000 characters", () => {
    // Long names and first problems, a refused key, alerts with no message of their own: ~420
    // characters a line.
    const long = (i: number): OrganizationHome => ({
      ...org(`org-${i}`, 3),
      name: `Example Holdings International — Platform Engineering & Security Operations Division, EMEA Region ${i}`,
      unposted: 120,
      openBySeverity: { medium: 1400 },
      health: {
        healthy: false,
        lastPoll: T0,
        lagSeconds: 60,
        problems: ["polling the audit log fails: HTTP 503 ".repeat(8), ...Array(11).fill("b")],
      },
      apiKeyRejected: true,
    });
    const view = responderHome({
      now: T0,
      organizations: Array.from({ length: 24 }, (_, i) => long(i)),
    });
    expect(blockErrors(view.blocks, 100)).toEqual([]);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain("*16 more organizations, one line each*");
    expect(text.match(/⚠️ \*Example Holdings/g)).toHaveLength(16);
    expect(text).not.toMatch(/more lines?"/);
  });

  it("lists alerts handled lately with no message of their own, each with its Undo, within the view", () => {
    const handled = (n: number) => ({
      alerts: Array.from({ length: Math.min(n, 5) }, (_, i) => ({
        alert: { ...alert(100 + i), status: "acknowledged" as const },
        by: i === 0 ? "URESP" : "system <!here>",
        at: T0 - i,
      })),
      total: n,
    });
    for (const count of [1, 2, 5, 10, 12])
      for (const n of [1, 5, 9]) {
        const organizations = Array.from({ length: count }, (_, i) => org(`org-${i}`, 30));
        const view = responderHome({
          now: T0,
          notice: "Done.",
          organizations,
          handled: handled(n),
        });
        expect(view.blocks.length).toBeLessThanOrEqual(100);
        const text = JSON.stringify(view.blocks);
        expect(text, `${count} organizations`).not.toContain("not shown here");
        const full = text.match(/🏢 org-\d+/g)?.length ?? 0;
        const lines = text.match(/⚠️ \*org-\d+\*/g)?.length ?? 0;
        expect(full + lines).toBe(count);
        const undos = text.match(/"action_id":"alert_reopen"/g)?.length ?? 0;
        expect(undos, `${count} organizations, ${n} handled`).toBe(Math.min(n, 5));
        if (undos < n && undos > 0) expect(text).toContain(`…and ${n - undos} more handled`);
      }
    const one = JSON.stringify(
      responderHome({ now: T0, organizations: [org("org-1", 0)], handled: handled(2) }).blocks,
    );
    expect(one).toContain("acknowledged by <@URESP>");
    expect(one).toContain("acknowledged by system &lt;!here&gt;");
    expect(one).toContain("alert 100 &lt;!here&gt;");
    // The notice's own Undo is not shown twice when the list has it.
    const noticed = responderHome({
      now: T0,
      notice: "Recorded: alert 100 acknowledged.",
      undo: { id: 100, createdAt: T0 },
      organizations: [org("org-1", 0)],
      handled: handled(1),
    });
    expect(JSON.stringify(noticed.blocks).match(/"action_id":"alert_reopen"/g)).toHaveLength(1);
  });

  it("tells apart in Top people two accounts whose long names show as one once cut", () => {
    const long = "Alexandra Kimberly-Montgomery ".repeat(4); // 120 characters
    const view = responderHome({
      now: T0,
      organizations: [
        {
          ...org("org-1", 0),
          topPeople: [
            { key: `${long}1`, count: 3, email: "alex@example.com", id: "acc-1" },
            { key: `${long}2`, count: 2, email: "mallory@example.org", id: "acc-2" },
          ],
        },
      ],
    });
    const bars = JSON.stringify(view.blocks).match(
      /Top people, last 24 hours\*\\n```([^`]*)```/,
    )?.[1];
    const shown = `${long.slice(0, 59)}…`;
    expect(bars?.split("\\n").map((line) => line.replace(/^[█░]+\s+\d+\s+/, ""))).toEqual([
      `${shown} (alex@example.com)`,
      `${shown} (mallory@example.org)`,
    ]);
  });

  it("says the API key expires today on its day, and after it what the polls said", () => {
    const keyLine = (apiKeyExpires: number) =>
      JSON.stringify(
        responderHome({ now: T0, organizations: [{ ...org("a", 0), apiKeyExpires }] }).blocks,
      ).match(/\*API key\*: [^"]*/)?.[0];
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(keyLine(T0 + 3 * DAY)).toContain(`expires on ${day(T0 + 3 * DAY)}, in 3 days`);
    expect(keyLine(T0 - 60_000)).toBe(
      `*API key*: 🔴 expires today (${day(T0 - 60_000)}). Then the audit log can no longer be read: renew it now.`,
    );
    // No poll has read the log or been refused: not said to have expired.
    expect(keyLine(T0 - DAY - 60_000)).toBe(
      `*API key*: ⚠️ its expiry date (${day(T0 - DAY - 60_000)}) is past, and no poll since has read the audit log or been refused: whether the key still works is not known yet.`,
    );
  });

  it("says a past date looks stale while the key still reads the log after it, and refused once it is", () => {
    const expires = T0 - 3 * DAY;
    const keyLine = (lastPoll: number | null, apiKeyRejected = false) =>
      JSON.stringify(
        responderHome({
          now: T0,
          organizations: [
            {
              ...org("a", 0),
              apiKeyExpires: expires,
              apiKeyRejected,
              health: { ...org("a", 0).health, lastPoll },
            },
          ],
        }).blocks,
      ).match(/\*API key\*: [^"]*/)?.[0];
    const day = new Date(expires).toISOString().slice(0, 10);
    expect(keyLine(T0 - 60_000)).toBe(
      `*API key*: ⚠️ ATLASSIAN_API_KEY_EXPIRES looks stale: it gives ${day}, and the key still reads the audit log after it. Set the key's expiry date.`,
    );
    // Read after the day, refused since: the date was not stale after all.
    const refused = `*API key*: 🔴 refused after its expiry date (${day}): it has expired or been revoked, so the audit log can no longer be read.`;
    expect(keyLine(T0 - 60_000, true)).toBe(refused);
    expect(keyLine(expires + DAY - 1, true)).toBe(refused);
    expect(keyLine(null, true)).toBe(refused);
    // Last read on the day itself or before, or not yet, and not refused: not known yet.
    expect(keyLine(expires + DAY - 1)).toContain("whether the key still works is not known yet");
    expect(keyLine(null)).toContain("whether the key still works is not known yet");
  });

  it("says the key is refused whatever its expiry date: none set, today, or ahead", () => {
    const keyLine = (apiKeyExpires: number | undefined) =>
      JSON.stringify(
        responderHome({
          now: T0,
          organizations: [{ ...org("a", 0), apiKeyExpires, apiKeyRejected: true }],
        }).blocks,
      ).match(/\*API key\*: [^"]*/)?.[0];
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(keyLine(undefined)).toBe(
      "*API key*: 🔴 refused (401 or 403): the audit log can no longer be read. Check ATLASSIAN_API_KEY: it has expired, been revoked or lacks a scope.",
    );
    expect(keyLine(T0 - 60_000)).toBe(
      `*API key*: 🔴 refused on its expiry date (${day(T0 - 60_000)}): it has expired or been revoked, so the audit log can no longer be read.`,
    );
    expect(keyLine(T0 + 30 * DAY)).toBe(
      `*API key*: 🔴 refused (401 or 403) before its expiry date (${day(T0 + 30 * DAY)}): it has been revoked or lacks a scope, so the audit log can no longer be read. Check ATLASSIAN_API_KEY.`,
    );
  });

  it("lists fewer alerts when each has Mute 30 days and Suppress too, the view still whole", () => {
    const taught = { expected: 3, mute: undefined, suppression: undefined };
    for (const count of [1, 2, 5]) {
      const organizations = Array.from({ length: count }, (_, i) => {
        const o = org(`org-${i}`, 30);
        return { ...o, learned: new Map(o.openAlerts.map((a) => [a.id, taught])) };
      });
      const undo = { id: 99, createdAt: T0 };
      const view = responderHome({ now: T0, notice: "Done.", undo, organizations });
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      const text = JSON.stringify(view.blocks);
      expect(text).not.toContain("not shown here");
      expect(text.match(/\*Health\*/g)).toHaveLength(count);
      const listed = text.match(/"block_id":"alert_actions_\d+"/g)?.length ?? 0;
      expect(text.match(/"block_id":"alert_learning_\d+"/g)?.length).toBe(listed);
      expect(listed).toBeGreaterThanOrEqual(count);
      expect(text.match(/…and \d+ more open alerts/g)).toHaveLength(count);
    }
  });

  it("stays within 100 blocks and says how many alerts are not listed", () => {
    const view = responderHome({ now: T0, organizations: [org("a", 60), org("b", 60)] });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view.blocks);
    expect(text).toMatch(/…and \d+ more open alerts/);
    expect(text).toContain("+100%");
  });

  it("shows in full an organization with alerts counted in a roll-up: they are handled nowhere else", () => {
    const organizations = Array.from({ length: 14 }, (_, i) => org(`org-${i}`, 3));
    const healthy = { healthy: true, lastPoll: T0, lagSeconds: 60, problems: [] };
    // Its listed alerts are those with no message of their own.
    const unpostedListed = new Set(Array.from({ length: 20 }, (_, i) => i + 1));
    organizations[13] = { ...org("org-13", 30), unposted: 25, unpostedListed, health: healthy };
    const text = JSON.stringify(responderHome({ now: T0, organizations }).blocks);
    expect(text).toContain("🏢 org-13");
    expect(text).toMatch(
      /…and 29 more open alerts: 24 with no message of their own, listed here as those above are handled; 5 in the alert channel, each with its buttons\./,
    );
    // Past 8 such organizations, one shown in one line says where its own are.
    const many = Array.from({ length: 9 }, (_, i) => ({ ...org(`org-${i}`, 3), unposted: 2 }));
    expect(JSON.stringify(responderHome({ now: T0, organizations: many }).blocks)).toContain(
      "3 open alerts: 2 with no message of their own, listed here once fewer organizations have such alerts",
    );
  });

  it("still fits with thousands of organizations, saying how many it leaves out", () => {
    const view = responderHome({
      now: T0,
      organizations: Array.from({ length: 3000 }, (_, i) => org(`o${i}`, 30)),
    });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view.blocks);
    const lines = text.match(/⚠️ \*o\d+\*/g)?.length ?? 0;
    expect(text).toContain(
      `…and ${3000 - lines} more organizations, ${3000 - lines} of them needing attention.`,
    );
  });

  it("escapes every outside string", () => {
    const text = JSON.stringify(responderHome({ now: T0, organizations: [org("a", 2)] }).blocks);
    for (const raw of ["<!here>", "<!channel>", "<@U1>", "*Mallory*", "<was>"])
      expect(text).not.toContain(raw);
    expect(text).toContain("&lt;!here&gt;");
  });
});

describe("a person's Home", () => {
  it("one section per active day with its Not me button; a denied day has none", () => {
    const day = (d: string, calls: number, denied = false) => ({
      orgId: "org-1",
      day: d,
      start: 0,
      end: 1,
      calls,
      writes: 1,
      deletes: 0,
      tools: [{ key: "createJiraIssue`", count: calls }],
      places: ["OPS", "confluence on <x>"],
      denied,
    });
    const view = personHome({
      now: T0,
      organizations: {},
      days: [day("2026-11-04", 3), day("2026-11-03", 0), day("2026-11-02", 2, true)],
    });
    const text = JSON.stringify(view.blocks);
    expect(text.match(/home_not_me/g)).toHaveLength(1);
    expect(text).toContain("2026-11-04|org-1");
    expect(text).toContain("You said this was not you");
    expect(text).not.toContain("<x>");
    expect(view.text).toBe("Your AI-tool activity: 5 calls in 7 days");
  });

  it("says how many days it leaves out past the view's 100 blocks, the closing line kept", () => {
    const days = Array.from({ length: 15 * 7 }, (_, i) => ({
      orgId: `org-${i % 15}`,
      day: `2026-11-0${7 - Math.floor(i / 15)}`,
      start: 0,
      end: 1,
      calls: 1,
      writes: 0,
      deletes: 0,
      tools: [],
      places: [],
      denied: false,
    }));
    const view = personHome({ now: T0, organizations: {}, days });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view.blocks);
    const shown = text.match(/"action_id":"home_not_me"/g)?.length ?? 0;
    expect(text).toContain(`…and ${105 - shown} earlier days of activity not shown here`);
    expect(JSON.stringify(view.blocks.at(-1))).toContain("Only you see this.");
  });

  it("says why nothing can be shown", () => {
    const view = personHome({ now: T0, organizations: {}, days: [], unknown: "no e-mail" });
    expect(JSON.stringify(view.blocks)).toContain("no e-mail");
  });

  it("does not turn a tool, a place or a notice with :// back into a link when it cuts", () => {
    const view = personHome({
      now: T0,
      organizations: {},
      notice: `Said about ${escapeMrkdwn("https://evil.example/notice")}.`,
      days: [
        {
          orgId: "org-1",
          day: "2026-11-04",
          start: 0,
          end: 1,
          calls: 2,
          writes: 0,
          deletes: 0,
          tools: [{ key: "Sign in again at https://evil.example/login", count: 2 }],
          places: ["https://evil.example/wiki"],
          denied: false,
        },
      ],
    });
    const unknown = personHome({
      now: T0,
      organizations: {},
      days: [],
      unknown: `Not known: ${escapeMrkdwn("https://evil.example/unknown")}`,
    });
    const responder = responderHome({
      now: T0,
      notice: `Said about ${escapeMrkdwn("https://evil.example/responder")}.`,
      organizations: [org("org-1", 0)],
    });
    for (const shown of [view, unknown, responder]) {
      const text = JSON.stringify(shown.blocks);
      expect(text).toContain("https:/\u200b/evil.example");
      expect(text).not.toContain("https://evil.example");
    }
  });

  it("names the organization in the query it suggests when several are watched", () => {
    const day = (orgId: string) => ({
      orgId,
      day: "2026-11-04",
      start: 0,
      end: 1,
      calls: 1,
      writes: 0,
      deletes: 1,
      tools: [],
      places: [],
      denied: false,
    });
    const one = JSON.stringify(personHome({ now: T0, organizations: {}, days: [day("org-1")] }));
    expect(one).toContain("Ask `/mcp-activity user:me since:7d` for the calls themselves.");
    const several = personHome({
      now: T0,
      organizations: { "org-a": "Alpha", "org-b": "Beta" },
      days: [day("org-b")],
    });
    expect(JSON.stringify(several)).toContain(
      "Ask `/mcp-activity user:me since:7d org:org-b` for the calls themselves.",
    );
  });
});

describe("helpers", () => {
  it("text bars scale to the largest and escape names", () => {
    const bars = textBars(
      [
        { key: "a`b", count: 10 },
        { key: "c", count: 5 },
      ],
      "none",
    );
    expect(bars.startsWith("```")).toBe(true);
    expect(bars).toContain(`${"█".repeat(20)} 10  aˋb`);
    expect(bars).toContain(`${"█".repeat(10)}${"░".repeat(10)}  5  c`);
    expect(textBars([], "none")).toBe("_none_");
  });

  it("days in the person's time zone, newest first, across a clock change", () => {
    const days = lastDays(Date.UTC(2026, 2, 30, 12), "Europe/Berlin", 3);
    expect(days.map((d) => d.day)).toEqual(["2026-03-30", "2026-03-29", "2026-03-28"]);
    expect(days[0]?.start).toBe(Date.UTC(2026, 2, 29, 22));
    expect(days[1]?.start).toBe(Date.UTC(2026, 2, 28, 23));
    expect(days[1]?.end).toBe(days[0]?.start);
    expect(dayLabel("2026-03-30")).toBe("Mon 30 Mar");
  });

  it.each([
    // Chile skips 00:00–01:00 on 6 September 2026: the day begins at 01:00 -03 (04:00 UTC).
    ["America/Santiago", Date.UTC(2026, 8, 6, 15), "2026-09-06", Date.UTC(2026, 8, 6, 4)],
    // Lord Howe skips 02:00–02:30 on 4 October 2026: the day begins at 00:00 +10:30.
    [
      "Australia/Lord_Howe",
      Date.UTC(2026, 9, 4, 1, 30),
      "2026-10-04",
      Date.UTC(2026, 9, 3, 13, 30),
    ],
    // Lord Howe repeats 01:30–02:00 on 5 April 2026: the day begins at 00:00 +11.
    ["Australia/Lord_Howe", Date.UTC(2026, 3, 5, 1, 30), "2026-04-05", Date.UTC(2026, 3, 4, 13)],
  ])("a day where %s changes its clocks starts at that day's midnight", (zone, now, day, start) => {
    const [today, before] = lastDays(now, zone, 2);
    expect(today).toMatchObject({ day, start, end: now + 1 });
    expect(before?.end).toBe(start);
  });
});
