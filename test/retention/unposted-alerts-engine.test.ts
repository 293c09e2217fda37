/**
 * Alerts the rules made and nobody saw, through the engine at the default rules: those quieted by
 * `once` or by a mute or suppression that can no longer raise them again go after the retention;
 * one a running mute or a suppression in place hid stays, for a "not me" to raise it again.
 */
import { describe, expect, it } from "vitest";
import { Pruner } from "../../src/retention/pruner.js";
import { unmute } from "../../src/slack/alerts/unmute.js";
import { AlertStore } from "../../src/store/alerts.js";
import { MuteStore } from "../../src/store/mutes.js";
import { repositories } from "../../src/store/repositories.js";
import { SuppressionStore } from "../../src/store/suppressions.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { event, person, setup, tokenCall } from "../detect/engine-rig.js";
import { anAlert, T0 } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";

const LATER = T0 + 401 * DAY;

async function prune(s: ReturnType<typeof setup>, at = LATER) {
  return new Pruner({
    stores: repositories(s.db),
    clock: new VirtualClock(at),
    logger: capturedLogger("info").logger,
    retentionDays: 400,
  }).pruneOnce();
}

describe("alerts nobody saw, at the default rules", () => {
  it("an API token's later uses (`once`: digest only) go after the retention", async () => {
    const s = setup(); // the default rules: minSeverity medium, mcp-api-token medium, once
    s.store([tokenCall({ time: T0 })]);
    s.engine().run();
    for (let day = 1; day <= 5; day++) s.store([tokenCall({ time: T0 + day * DAY })]);
    s.engine().run();
    // Something newer, so that none of these is the newest alert.
    s.store([tokenCall({ ...person("acc-new", "new@example.com"), time: T0 + 300 * DAY })]);
    s.engine().run();
    const quiet = s.alerts().filter((a) => a.ruleId === "mcp-api-token" && !a.notify);
    expect(quiet.length).toBe(5);
    expect(quiet[0]?.suppressedBy).toMatch(/^already alerted about this account/);

    // 400 days after the last of the five.
    const result = await prune(s, T0 + 406 * DAY);

    const left = s.alerts().filter((a) => a.ruleId === "mcp-api-token" && !a.notify);
    const events = (s.db.prepare("SELECT count(*) AS n FROM event_rows").get() as { n: number }).n;
    // Left: the posted alert's event and acc-new's; the five later uses go with their alerts.
    expect({ pruned: result.alerts, left: left.length, events }).toEqual({
      pruned: 5,
      left: 0,
      events: 2,
    });
  });

  /** A write of acc-known's hidden by a mute (until `until`) or, without one, a suppression. */
  function hidden(quiet: { until: number } | "suppressed") {
    const s = setup("minSeverity: low\n");
    const who = person("acc-known", "k@example.com");
    if (quiet === "suppressed")
      new SuppressionStore(s.db).add(
        "org-1",
        { ruleId: "mcp-write", userKey: "acc-known", reason: "the sync bot", alertId: null },
        "U1",
        T0,
      );
    else
      new MuteStore(s.db).add(
        "org-1",
        { ruleId: "mcp-write", userKey: "acc-known", until: quiet.until, reason: "muted" },
        "U1",
        T0,
      );
    s.store([event({ ...who, tool: "editJiraIssue", toolClass: "write", time: T0 + 30 * MINUTE })]);
    s.engine().run();
    s.store([event({ ...person("acc-new", "n@example.com"), time: T0 + 300 * DAY })]);
    s.engine().run();
    expect(s.alerts().filter((a) => a.suppressedBy !== null)).toHaveLength(1);
    return s;
  }

  it("what a mute hid, once the mute has run out and nothing can raise it again, goes too", async () => {
    const s = hidden({ until: T0 + DAY });
    // A "not me" 401 days on ends no mute (none runs): nothing raises this alert again.
    expect(new MuteStore(s.db).endFor("org-1", "acc-known", LATER)).toEqual([]);

    expect((await prune(s)).alerts).toBe(1);
  });

  it('what a mute still running or a suppression in place hid stays, for a "not me" to raise', async () => {
    for (const s of [hidden({ until: LATER + DAY }), hidden("suppressed")]) {
      expect((await prune(s)).alerts).toBe(0);
      expect(s.alerts().filter((a) => a.suppressedBy !== null)).toHaveLength(1);
    }
  });

  it('what a "not me" raised again stays: the raised alert names it by number', async () => {
    const s = hidden("suppressed");
    const [quiet] = s.alerts().filter((a) => a.suppressedBy !== null);
    // 401 days on, a posted alert about the same person, and they answer "not me".
    const alerts = new AlertStore(s.db);
    const clicked = alerts.get(
      alerts.insert(
        anAlert({
          userId: "acc-known",
          userEmail: "k@example.com",
          groupKey: "mcp-destructive|acc-known",
          ...{ firstSeen: LATER - DAY, lastSeen: LATER - DAY },
          ...{ createdAt: LATER - DAY, updatedAt: LATER - DAY },
        }),
      ),
    );
    if (!clicked || !quiet) throw new Error("no alert");
    const { alertId } = unmute(repositories(s.db), clicked, "UPERSON", LATER - MINUTE);
    expect(alerts.get(alertId ?? 0)?.detail.hiddenAlerts).toEqual([quiet.id]);

    expect((await prune(s)).alerts).toBe(0);
    expect(alerts.get(quiet.id)).toBeDefined();
  });

  it('what a suppression of another rule in place could raise (a "not me" raises by label) stays', async () => {
    const s = hidden("suppressed");
    const suppressions = new SuppressionStore(s.db);
    suppressions.add(
      "org-1",
      { ruleId: "mcp-off-hours", userKey: "acc-known", reason: "the sync bot", alertId: null },
      "U1",
      T0,
    );
    suppressions.removeFor("org-1", "acc-known", "mcp-write", "U1", T0 + DAY);

    expect((await prune(s)).alerts).toBe(0);
  });
});
