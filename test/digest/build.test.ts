import { describe, expect, it } from "vitest";
import { buildDigest, digestText } from "../../src/digest/build.js";
import { fitLines } from "../../src/slack/blocks/limits.js";
import { HOUR } from "../../src/time-units.js";
import { DAY, digestData, T } from "./fixtures.js";

const all = (d: ReturnType<typeof buildDigest>) => JSON.stringify([d.blocks, d.replies]);

describe("digest builder", () => {
  it("reports counts with the change against the previous period", () => {
    const text = all(buildDigest(digestData(), { kind: "daily", late: false }));
    expect(text).toContain("*120* MCP calls (▲20%) · *6* people (▼25%) · *9* tools · *2* sites");
    expect(text).toContain("read 80 · search 25 · write 14 · destructive 1");
    expect(text).toMatch(/`[▁▂▃▄▅▆▇█]{24}` calls per hour/);
  });

  it("over a weekend: a bar per 3 hours, compared with the same hours a week before", () => {
    const since = T - 3 * DAY;
    const text = all(
      buildDigest(
        digestData({
          since,
          previousSince: since - 7 * DAY,
          bucketMs: 3 * HOUR,
          buckets: Array.from({ length: 24 }, (_, i) => ({
            start: since + i * 3 * HOUR,
            read: i,
            search: 0,
            write: 0,
            destructive: 0,
            admin: 0,
            other: 0,
          })),
        }),
        { kind: "daily", late: false },
      ),
    );
    expect(text).toMatch(/`[▁▂▃▄▅▆▇█]{24}` calls per 3 h/);
    expect(text).toContain("_changes against the same hours a week before_");
    expect(all(buildDigest(digestData(), { kind: "daily", late: false }))).not.toContain(
      "a week before",
    );
  });

  it("shows no change against hours retention deleted part of, and says so", () => {
    const d = digestData();
    const compared = all(
      buildDigest(d, { kind: "daily", late: false, deletedBefore: d.since - HOUR }),
    );
    expect(compared).toContain("*120* MCP calls · *6* people · *9* tools");
    expect(compared).toContain(
      "_No change shown: retention (`RETENTION_DAYS`) deleted the calls before",
    );
    const own = all(buildDigest(d, { kind: "daily", late: false, deletedBefore: d.since + HOUR }));
    expect(own).toContain("deleted the calls before");
    expect(own).toContain("this counts what was kept of them, and shows no change");
    expect(own).not.toMatch(/[▲▼]/);
  });

  it("says a digest on demand is one and leaves the schedule alone", () => {
    const text = all(buildDigest(digestData(), { kind: "on-demand", late: false }));
    expect(text).toContain("_(on demand: the last 24 hours; the schedule is not affected)_");
  });

  it("names first-time people, authorizations, API-token use, alerts with links, settings, health", () => {
    const text = all(buildDigest(digestData(), { kind: "daily", late: false }));
    expect(text).toContain("People who used MCP for the first time");
    expect(text).toContain("Çarol Ñúñez with Cursor (first tool: searchConfluence)");
    expect(text).toContain("Bob authorized Atlassian MCP on acme.atlassian.net");
    expect(text).toContain("7 calls by svc-reporting");
    expect(text).toContain("mcp-write: 5 raised, 0 open, 3 digest only, 2 quieted");
    expect(text).toContain("<https://slack.com/archives/C1/p1700000000000100|#12> high");
    expect(text).toContain("Data security policy updated by Çarol");
    expect(text).toContain("lag 4 min · 2 quarantined events");
  });

  it("cuts a section between lines, never inside an escaped entity or a link", () => {
    const lines = Array.from(
      { length: 40 },
      (_, i) => `• <https://x.example/${i}|#${i}> ${"&amp;".repeat(20)}`,
    );
    const text = fitLines(lines.join("\n"), 1_000);
    expect(text.length).toBeLessThanOrEqual(1_000);
    const kept = text.split("\n").slice(0, -1);
    expect(kept).toEqual(lines.slice(0, kept.length));
    expect(text.endsWith(`\n…and ${40 - kept.length} more lines`)).toBe(true);
    expect(fitLines("short", 1_000)).toBe("short");
  });

  it("says how many alerts are still open however long the list by rule", () => {
    const alerts = Array.from({ length: 16 }, (_, i) => ({
      ruleId: `custom-rule-with-a-rather-long-name-${i}`,
      raised: 1000 + i,
      open: 10,
      digestOnly: 200,
      quieted: 300,
    }));
    const openAlerts = Array.from({ length: 10 }, (_, i) => ({
      id: 100 + i,
      title: `${"Ω".repeat(150)} ${i}`,
      severity: "high",
      createdAt: T - HOUR,
      link: `https://slack.com/archives/C1/p17000000000001${i}`,
    }));
    const text = all(
      buildDigest(digestData({ alerts, openAlerts, openAlertCount: 40 }), {
        kind: "daily",
        late: false,
      }),
    );
    expect(text).toContain("…and 30 more");
  });

  it("escapes outside strings", () => {
    const text = all(buildDigest(digestData(), { kind: "daily", late: false }));
    expect(text).toContain("Bob &lt;!here&gt;");
    expect(text).not.toContain("<!here>");
  });

  it("escapes a rule's id in the alerts by rule, as the weekly digest does", () => {
    const alerts = [{ ruleId: "team-<!channel>", raised: 1, open: 1, digestOnly: 0, quieted: 0 }];
    const text = all(buildDigest(digestData({ alerts }), { kind: "daily", late: false }));
    expect(text).toContain("team-&lt;!channel&gt;: 1 raised, 1 open");
    expect(text).not.toContain("<!channel>");
  });

  it("says a quiet day in one line, not silence", () => {
    const quiet = digestData({
      current: { calls: 0, people: 0, tools: 0, sites: 0 },
      alerts: [],
      openAlerts: [],
    });
    const digest = buildDigest(quiet, { kind: "daily", late: false });
    expect(digest.text).toBe("Daily MCP activity digest: no MCP activity in this period.");
    expect(digest.replies).toEqual([]);
  });

  it("marks a late digest and names the backfill summary", () => {
    expect(all(buildDigest(digestData(), { kind: "daily", late: true }))).toContain("posted late");
    expect(buildDigest(digestData(), { kind: "backfill", late: false }).text).toContain(
      "history fetched on first start",
    );
  });

  it("compares a day with the day before, but not the first start's history with nothing", () => {
    const data = digestData();
    const daily = all(buildDigest(data, { kind: "daily", late: false }));
    const backfill = all(buildDigest(data, { kind: "backfill", late: false }));
    expect(daily).toMatch(/MCP calls \((?:[▲▼]\d+%|=|new)\)/);
    expect(backfill).toMatch(new RegExp(`\\*${data.current.calls}\\* MCP calls · \\*`));
  });

  it("puts what does not fit into thread replies, each within Block Kit's limits", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ title: `${"Ω".repeat(180)} ${i}` }));
    const digest = buildDigest(
      digestData({
        settingsChanges: many,
        appAuthorizations: many,
        firstTimers: Array.from({ length: 40 }, (_, i) => ({
          name: `P${i}${"x".repeat(90)}`,
          email: null,
          id: `acc-${i}`,
          tool: null,
          app: null,
        })),
      }),
      { kind: "daily", late: false },
    );
    expect(digest.replies.length).toBeGreaterThan(0);
    for (const message of [digest.blocks, ...digest.replies]) {
      expect(message.length).toBeLessThanOrEqual(50);
      expect(JSON.stringify(message).length).toBeLessThan(12_000);
    }
    expect(digestText(digest)).toContain("↳ (in the thread)");
  });

  it("reads as plain text for the dry run", () => {
    const text = digestText(buildDigest(digestData(), { kind: "daily", late: false }));
    expect(text).toContain("Daily MCP activity digest");
    expect(text).toContain("#12 (https://slack.com/archives/C1/p1700000000000100) high");
    expect(text).toContain("Bob <!here>");
    expect(text).not.toContain("<!date");
  });
});
