/**
 * An alert nobody handles stays in every digest until someone does: its reminders stop after
 * two, and the App Home is not the channel. A high alert raised on Monday afternoon is named in
 * Tuesday's digest, in Wednesday's, in a quiet Thursday's, and in the weekly digest of a quiet
 * week, as raised before their period; once acknowledged, in none.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDigest, digestText } from "../../src/digest/build.js";
import { composeDigest } from "../../src/digest/compose.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert } from "../store/setup.js";

/** Tuesday 2026-11-24 09:00 UTC: the first daily digest after the alert. */
const TUESDAY = Date.UTC(2026, 10, 24, 9);
const MONDAY_3PM = TUESDAY - 18 * HOUR;
const health = { lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null };

function store() {
  const stores = repositories(openStore(join(tempDir(), "still-open.db")));
  const daily = (until: number) => {
    const data = {
      ...stores.digestFigures.read("org-1", until - DAY, until, () => "", {
        bucketMs: HOUR,
        previousSince: until - 2 * DAY,
      }),
      health,
    };
    const message = buildDigest(data, { kind: "daily", late: false });
    return { text: digestText(message), notification: message.text, data };
  };
  return { stores, daily };
}

describe("the digest's still open alerts, day after day", () => {
  it("names an open alert in every digest until it is handled, saying since when after its day", () => {
    const { stores, daily } = store();
    const base = normalizedEvent();
    stores.events.insertMany([{ ...base, id: "mon", time: MONDAY_3PM }], TUESDAY);
    const id = stores.alerts.insert(newAlert({ createdAt: MONDAY_3PM, firstSeen: MONDAY_3PM }));
    // Wednesday's period: Bob's reads, no alert.
    stores.events.insertMany(
      Array.from({ length: 5 }, (_, i) => ({
        ...base,
        id: `tue-${i}`,
        time: TUESDAY + 2 * HOUR + i,
        userId: "acc-bob",
        userName: "Bob",
        tool: "getJiraIssue",
        toolClass: "read" as const,
      })),
      TUESDAY + DAY,
    );
    const line = `#${id} high · deleteJiraIssue by Ada`;

    const tuesday = daily(TUESDAY);
    expect(tuesday.text).toContain("mcp-destructive: 1 raised, 1 open");
    expect(tuesday.text).toContain(`${line}\n`);

    const wednesday = daily(TUESDAY + DAY);
    expect(wednesday.text).toContain("5 MCP calls");
    // The alerts by rule are the period's: Monday's alert is not counted again.
    expect(wednesday.text).not.toContain("mcp-destructive:");
    expect(wednesday.text).toContain(`Still open\n• ${line} · since 2026-11-23 15:00 UTC`);

    const thursday = daily(TUESDAY + 2 * DAY);
    expect(thursday.text).toContain("No MCP activity in this period.");
    expect(thursday.text).toContain(`Still open\n• ${line} · since 2026-11-23 15:00 UTC`);
    expect(thursday.notification).toBe(
      "Daily MCP activity digest: no MCP activity in this period. 1 alert still open.",
    );

    stores.trail.change("org-1", id, "acknowledged", "URESP", TUESDAY + 2 * DAY, () => true);
    const friday = daily(TUESDAY + 3 * DAY);
    expect(friday.text).not.toContain("Still open");
    expect(friday.notification).toBe("Daily MCP activity digest: no MCP activity in this period.");
  });

  it("lists the posted ones open at the period's end, most severe and oldest first, and counts them all", () => {
    const { stores, daily } = store();
    const raise = (title: string, severity: "high" | "medium" | "low", at: number, notify = true) =>
      stores.alerts.insert(
        newAlert({ title, severity, createdAt: at, notify, groupKey: title, firstSeen: at }),
      );
    raise("medium last week", "medium", TUESDAY - 7 * DAY);
    raise("high today", "high", TUESDAY - HOUR);
    raise("high last week", "high", TUESDAY - 6 * DAY);
    raise("never posted", "low", TUESDAY - 2 * DAY, false);
    raise("after the period", "high", TUESDAY + HOUR);
    for (let i = 0; i < 12; i++) raise(`low ${i}`, "low", TUESDAY - 3 * DAY + i);
    const { data, text } = daily(TUESDAY);
    expect(data.openAlerts.map((a) => a.title)).toEqual([
      "high last week",
      "high today",
      "medium last week",
      ...Array.from({ length: 7 }, (_, i) => `low ${i}`),
    ]);
    expect(data.openAlertCount).toBe(15);
    expect(text).toContain("• #3 high · high last week · since 2026-11-18 09:00 UTC");
    expect(text).toContain("• #2 high · high today\n");
    expect(text).toContain("…and 5 more");
  });

  it("the weekly digest of a quiet week and a digest on demand name it too", async () => {
    const { stores } = store();
    const id = stores.alerts.insert(newAlert({ createdAt: MONDAY_3PM, firstSeen: MONDAY_3PM }));
    const deps = {
      stores,
      logger: capturedLogger().logger,
      orgId: "org-1",
      timeZone: "UTC",
      health: () => health,
    };
    const since = "· since 2026-11-23 15:00 UTC";
    const week = TUESDAY + 6 * DAY;
    const weekly = await composeDigest(deps, "weekly", week, week + 7 * DAY, { late: false });
    expect(digestText(weekly.message)).toContain(`#${id} high · deleteJiraIssue by Ada ${since}`);
    expect(weekly.message.text).toBe(
      "Weekly MCP activity digest: no MCP activity this week. 1 alert still open.",
    );
    const now = TUESDAY + 3 * DAY;
    const asked = await composeDigest(deps, "on-demand", now - DAY, now, { late: false });
    expect(digestText(asked.message)).toContain(`#${id} high · deleteJiraIssue by Ada ${since}`);
  });
});
