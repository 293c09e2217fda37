/**
 * A person whose Slack e-mail holds two Atlassian accounts. The Home's Not me for a day covers
 * both accounts, its alert grouped under the account of the day's first call; the weekly check asks
 * about each account apart. A check's Not me about calls the Home's open alert covers is refused,
 * while one about an account no earlier Not me covered still raises its own alert. The Home's Not
 * me ends the mutes of every account it covers, and of the e-mail, and raises what they hid again:
 * each mute's own, from when it began.
 */
import { describe, expect, it } from "vitest";
import { HIDDEN_BY_MUTE_RULE } from "../../../src/domain/alert.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { ALICE, homeRig, RESPONDER } from "./home-rig.js";
import { FRIDAY, twoAccounts } from "./two-accounts-rig.js";

describe("a Not me with two accounts on one e-mail", () => {
  it("the check's Not me about the same Friday is refused while the Home's alert is open", async () => {
    const r = await twoAccounts(1);
    await r.openHome(ALICE);
    await r.homeOf(ALICE);
    await r.homeClick("home_not_me", ALICE, `${FRIDAY}|org-1`);
    expect((await r.homeOf(ALICE, 2)).text).toContain("the security team has been told");
    const [first] = r.notMe();
    expect(first?.status).toBe("open");

    const messages = await r.send();
    expect(messages).toHaveLength(1); // acc-alice: 3 calls; acc-alice-2: 1
    await r.notMeOn(messages, "acc-alice");
    // Refused, answered with the Home's alert: not a second high alert about the same Friday.
    expect(r.notMe().map((a) => a.title)).toEqual([first?.title]);
    expect(r.stores.attestations.get(1)?.alertId).toBe(first?.id);
  });

  it("the checks of both accounts each raise their alert: the first covered only its account", async () => {
    const r = await twoAccounts(3);
    const messages = await r.send();
    expect(messages).toHaveLength(2);
    await r.notMeOn(messages, "acc-alice");
    await r.notMeOn(messages, "acc-alice-2");
    expect(r.notMe().map((a) => [a.userId, a.eventCount])).toEqual([
      ["acc-alice", 3],
      ["acc-alice-2", 3],
    ]);
  });

  it("the Home's Not me ends the mutes of both accounts and of the e-mail, raising what they hid", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    const second = { userId: "acc-alice-2", actorId: "acc-alice-2" }; // alice@example.com too
    r.activity([{ time: now - 3 * HOUR }, { ...second, time: now - 2 * HOUR }]);
    // Responders muted mcp-off-hours about the second account, and about the e-mail alone (the
    // calls of an API token, which name no account); an alert each kept quiet since.
    const mute = (userKey: string) => {
      const reason = `expected; muted for 7 days by <@${RESPONDER}>`;
      r.stores.mutes.add(
        "org-1",
        { ruleId: "mcp-off-hours", userKey, until: now + 7 * DAY, reason },
        RESPONDER,
        now - 4 * HOUR,
      );
      return reason;
    };
    const quiet = (userId: string | null, userKey: string) =>
      r.raise(
        {
          ruleId: "mcp-off-hours",
          groupKey: `mcp-off-hours|${userKey}`,
          userId,
          userName: "Alice Example",
          userEmail: "alice@example.com",
          notify: false,
          suppressedBy: mute(userKey),
          createdAt: now - 2 * HOUR,
        },
        { userId, actorId: userId, time: now - 2 * HOUR - 1 },
      );
    const hidden = [quiet("acc-alice-2", "acc-alice-2"), quiet(null, "email:alice@example.com")];

    await r.openHome(ALICE);
    expect((await r.homeOf(ALICE)).text).toContain("3 calls"); // both accounts' calls are hers
    const today = new Date(now).toISOString().slice(0, 10);
    await r.homeClick("home_not_me", ALICE, `${today}|org-1`);
    expect((await r.homeOf(ALICE, 2)).text).toContain("the security team has been told");
    const [notMe] = r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me");
    expect(notMe?.userId).toBe("acc-alice"); // the day's first call's account
    expect(notMe?.eventCount).toBe(3);

    const later = r.clock.now();
    for (const key of ["acc-alice-2", "email:alice@example.com"])
      expect(r.stores.mutes.running("org-1", "mcp-off-hours", key, later)).toEqual([]);
    const raised = r.alerts.list("org-1").filter((a) => a.ruleId === HIDDEN_BY_MUTE_RULE);
    expect(raised.map((a) => a.detail.hiddenAlerts)).toEqual([hidden]);
  });

  it("raises again what each ended mute hid, not what a snooze of the same words that ran out long ago hid", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    r.activity([
      { time: now - 3 * HOUR },
      { userId: "acc-alice-2", actorId: "acc-alice-2", time: now - 2 * HOUR },
    ]);
    const snooze = (until: number, at: number) =>
      r.stores.mutes.add(
        "org-1",
        { ruleId: "mcp-off-hours", userKey: "acc-alice", until, reason: "snoozed for 4 h" },
        RESPONDER,
        at,
      );
    // Nine days ago a 4 h snooze of acc-alice kept an alert quiet, and ran out by itself.
    snooze(now - 9 * DAY + 4 * HOUR, now - 9 * DAY);
    const old = r.raise(
      {
        ruleId: "mcp-off-hours",
        groupKey: "mcp-off-hours|acc-alice|old",
        userId: "acc-alice",
        userName: "Alice Example",
        userEmail: "alice@example.com",
        notify: false,
        suppressedBy: `snoozed for 4 h by <@${RESPONDER}>`,
        createdAt: now - 9 * DAY + HOUR,
      },
      { time: now - 9 * DAY + HOUR - 1 },
    );
    // Running when she says Not me: the same snooze again (it hid nothing yet), and a mute of her
    // second account set ten days ago.
    snooze(now + 3 * HOUR, now - HOUR);
    r.stores.mutes.add(
      "org-1",
      { ruleId: "mcp-burst", userKey: "acc-alice-2", until: now + 20 * DAY, reason: "expected" },
      RESPONDER,
      now - 10 * DAY,
    );

    await r.openHome(ALICE);
    await r.homeOf(ALICE);
    const today = new Date(now).toISOString().slice(0, 10);
    await r.homeClick("home_not_me", ALICE, `${today}|org-1`);
    expect((await r.homeOf(ALICE, 2)).text).toContain("the security team has been told");
    const later = r.clock.now();
    expect(r.stores.mutes.running("org-1", "mcp-off-hours", "acc-alice", later)).toEqual([]);
    expect(r.stores.mutes.running("org-1", "mcp-burst", "acc-alice-2", later)).toEqual([]);
    const raised = r.alerts.list("org-1").filter((a) => a.ruleId === HIDDEN_BY_MUTE_RULE);
    expect(raised.flatMap((a) => a.detail.hiddenAlerts as number[])).not.toContain(old);
  });
});
