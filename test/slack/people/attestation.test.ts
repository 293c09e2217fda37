/** The weekly "acted as you" check through the outbox, the real Bolt app and the fake Slack. */
import { describe, expect, it } from "vitest";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { WatchedOrgs } from "../../../src/organizations.js";
import { SlackDirectory } from "../../../src/slack/directory.js";
import {
  type AttestationOptions,
  WeeklyAttestation,
  weekBefore,
} from "../../../src/slack/people/attestation.js";
import { registerAttestationActions } from "../../../src/slack/people/attestation-actions.js";
import { DAY } from "../../../src/time-units.js";
import { mcpEvent, T0 } from "../../detect/fixtures.js";
import { VirtualClock } from "../../fakes/virtual-clock.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const ALICE = "UALICE";
const BOB = "UBOB";
/** Monday 2026-11-09 10:00:30 UTC: just after the check's time. */
const MONDAY = Date.UTC(2026, 10, 9, 10, 0, 30);

async function rig(zone = "UTC") {
  const r = await slackRig();
  r.slack.addUser({ id: ALICE, email: "alice@example.com" });
  r.slack.addUser({ id: BOB, email: "bob@example.com" });
  r.slack.setMembers(CHANNEL, ["URESP"]);
  const b = await boltApp(r, (app, responders) => {
    const deps = r.actionDeps({ responders });
    registerAttestationActions(app, {
      attestations: r.stores.attestations,
      notMe: {
        triage: deps.triage,
        home: r.stores.home,
        produce: () => r.alertOutbox.produce(),
        logger: r.logs.logger,
      },
      orgs: new WatchedOrgs(["org-1"]),
      clock: r.clock,
      logger: r.logs.logger,
      queued: r.queued,
      timeZone: zone,
    });
  });
  let n = 0;
  const calls = (count: number, e: Partial<NormalizedEvent>) => {
    const { seq: _s, ingestedAt: _i, ...base } = mcpEvent();
    r.stores.events.insertMany(
      Array.from({ length: count }, (_, i) => ({
        ...base,
        id: `att-${++n}`,
        time: MONDAY - 3 * DAY + i * 1000,
        resource: `OPS-${i}`,
        ...e,
      })),
      T0,
    );
  };
  calls(22, {});
  calls(3, { tool: "updateJiraIssue", toolClass: "write", resource: "WEB-1" });
  calls(1, { tool: "deleteJiraIssue", toolClass: "destructive" });
  calls(5, { userId: "acc-bob", userEmail: "bob@example.com", userName: "Bob" });
  calls(30, { userId: "acc-carol", userEmail: "carol@example.com", userName: "Carol" });
  calls(40, { time: MONDAY - 8 * DAY }); // the week before: not counted
  r.clock.advance(MONDAY - r.clock.now());
  const directory = new SlackDirectory({ client: r.client, clock: r.clock });
  const weekly = (
    o: {
      directory?: { userIdOf(email: string): Promise<string | null> };
    } & Partial<Pick<AttestationOptions, "clock" | "cron" | "timeZone" | "minCalls">> = {},
  ) =>
    new WeeklyAttestation({
      stores: r.stores,
      logger: r.logs.logger,
      orgId: "org-1",
      queued: r.queued,
      clock: o.clock ?? r.clock,
      cron: o.cron ?? "0 10 * * MON",
      timeZone: o.timeZone ?? zone,
      minCalls: o.minCalls ?? 20,
      directory: o.directory ?? directory,
    });
  const dm = (user: string) => r.slack.messages(r.slack.dmChannel(user));
  return { ...r, ...b, weekly, dm };
}

/** The check's buttons' value (its id, a dot, its week's start), and the id in it. */
const buttonValue = (blocks: unknown) =>
  /"value":"(\d+\.\d+)"/.exec(JSON.stringify(blocks))?.[1] ?? "";
const idIn = (value: string) => Number(value.split(".")[0]);

describe("the weekly check", () => {
  it("covers a week from the cron's time before, so weeks across a change of the clocks meet", () => {
    // Berlin leaves summer time on Sunday 25 October 2026: that week lasts 169 hours.
    const monday = (day: number, hour: number) => Date.UTC(2026, 9, day, hour);
    expect(weekBefore("0 10 * * MON", "Europe/Berlin", monday(26, 9))).toBe(monday(19, 8));
    expect(weekBefore("0 10 * * MON", "Europe/Berlin", Date.UTC(2026, 10, 2, 9))).toBe(
      monday(26, 9),
    );
    // A cron that is not weekly: the 7 days before.
    expect(weekBefore("0 10 * * *", "UTC", monday(26, 10))).toBe(monday(19, 10));
  });

  it("sends one direct message to each person with enough activity that week, once", async () => {
    const r = await rig();
    expect(await r.weekly().run()).toBe(1);
    await r.settled();
    await r.poster.drain();
    const [message] = r.dm(ALICE);
    expect(message?.text).toContain(
      "AI tools acted as you: 26 calls, 3 writes, 1 delete in OPS, WEB",
    );
    expect(JSON.stringify(message?.blocks)).toContain("attest_not_me");
    // The week in the reader's own time zone: Slack formats the instants.
    const week = [MONDAY - 7 * DAY - 30_000, MONDAY - 30_000].map((ms) => ms / 1000);
    expect(JSON.stringify(message?.blocks)).toContain(
      `from <!date^${week[0]}^{date_short_pretty} {time}|2026-11-02 10:00 UTC> to <!date^${week[1]}^{date_short_pretty} {time}|2026-11-09 10:00 UTC> (in your time zone)`,
    );
    expect(r.dm(BOB)).toHaveLength(0); // 5 calls, fewer than minCalls
    expect(r.logs.text()).toContain("1 person(s) not found in Slack");
    expect(await r.weekly().run()).toBe(0);
    await r.poster.drain();
    expect(r.dm(ALICE)).toHaveLength(1);
    expect(r.stores.attestations.get(1)?.dmTs).toBe(message?.ts);
  });

  it("goes to the account's address now, not one it had earlier in the week", async () => {
    const r = await rig();
    r.slack.addUser({ id: "UXAVIER", email: "xavier@example.com" });
    r.slack.addUser({ id: "UZOE", email: "zoe@example.com" }); // has Xavier's old address
    const { seq: _s, ingestedAt: _i, ...base } = mcpEvent();
    const x = { ...base, userId: "acc-x", actorId: "acc-x", userName: "Xavier" };
    const calls = (n: number, from: number, email: string, id: string) =>
      Array.from({ length: n }, (_, i) => ({
        ...x,
        id: `${id}-${i}`,
        time: from + i,
        userEmail: email,
      }));
    r.stores.events.insertMany(
      [
        ...calls(2, MONDAY - 6 * DAY, "zoe@example.com", "old"),
        ...calls(25, MONDAY - 2 * DAY, "xavier@example.com", "new"),
      ],
      T0,
    );
    await r.weekly().run();
    await r.settled();
    await r.poster.drain();
    expect(r.dm("UZOE")).toHaveLength(0);
    expect(r.dm("UXAVIER")).toHaveLength(1);
  });

  it("a run cut short resumes with the people not asked yet, asking nobody twice", async () => {
    const r = await rig();
    r.slack.addUser({ id: "UCAROL", email: "carol@example.com" });
    let lookups = 0;
    const failing = {
      userIdOf: async (email: string) => {
        if (++lookups === 2) throw new Error("Slack went away");
        return email.startsWith("alice") ? ALICE : "UCAROL";
      },
    };
    await expect(r.weekly({ directory: failing }).run()).rejects.toThrow("Slack went away");
    expect(await r.weekly().run()).toBe(1);
    await r.settled();
    await r.poster.drain();
    expect(r.dm(ALICE)).toHaveLength(1);
    expect(r.dm("UCAROL")).toHaveLength(1);
  });

  it("asks nobody again about a week of a change of the clocks a release before this one asked about", async () => {
    const r = await rig();
    // Berlin's week from Monday 19 October 11:00 (summer time) to Monday 26 October 11:00: 169 h.
    const monday = Date.UTC(2026, 9, 26, 10, 0, 30);
    const { seq: _s, ingestedAt: _i, ...base } = mcpEvent();
    r.stores.events.insertMany(
      Array.from({ length: 3 }, (_, i) => ({ ...base, id: `dst-${i}`, time: monday - 4 * DAY })),
      T0,
    );
    const check = () =>
      r.weekly({
        clock: new VirtualClock(monday),
        cron: "0 11 * * MON",
        timeZone: "Europe/Berlin",
        minCalls: 1,
      });
    // What the release before recorded: the week from 7 × 24 hours before.
    r.stores.notices.claim("org-1", `attestation:${monday - 30_000 - 7 * DAY}`, [], monday);
    expect(await check().run()).toBe(0);
    r.db.prepare("DELETE FROM notices").run();
    expect(await check().run()).toBe(1); // not recorded: Alice is asked
  });

  it("nothing is sent for a week whose time passed more than a day ago", async () => {
    const r = await rig();
    r.clock.advance(2 * DAY);
    expect(await r.weekly().run()).toBe(0);
  });

  it("Not me raises a high alert about the person, and only they may answer, once", async () => {
    const r = await rig();
    await r.weekly().run();
    await r.settled();
    await r.poster.drain();
    const [message] = r.dm(ALICE);
    const value = buttonValue(message?.blocks);
    const where = { channel: r.slack.dmChannel(ALICE), ts: message?.ts ?? "" };
    const forged = await r.click("attest_not_me", BOB, value, where);
    expect(await forged.reply()).toBe("Only the person this check was sent to can answer it.");
    expect(r.alerts.list("org-1")).toHaveLength(0);
    await r.click("attest_not_me", ALICE, value, where);
    await r.slack.waitFor(() =>
      r.slack.messages(CHANNEL).some((m) => m.text.includes("says this was *not* them")),
    );
    const alert = r.alerts.list("org-1").find((a) => a.ruleId === "mcp-not-me");
    expect(alert?.severity).toBe("high");
    expect(alert?.eventCount).toBe(26);
    expect(r.stores.attestations.get(idIn(value))?.answer).toBe("no");
    expect(r.stores.attestations.get(idIn(value))?.alertId).toBe(alert?.id);
    await r.slack.waitFor(() => r.dm(ALICE)[0]?.text.includes("You answered *not me*") ?? false);
    const again = await r.click("attest_ok", ALICE, value, where);
    expect(await again.reply()).toContain("You have answered this already (not me)");
    expect(r.stores.attestations.get(idIn(value))?.answer).toBe("no");
  });

  it("names the week of a Not me by its days in DIGEST_TIMEZONE", async () => {
    const r = await rig("Australia/Sydney");
    await r.weekly().run(); // the week from Monday 2 November 10:00 in Sydney (23:00 UTC the 1st)
    await r.settled();
    await r.poster.drain();
    const [message] = r.dm(ALICE);
    const value = buttonValue(message?.blocks);
    await r.click("attest_not_me", ALICE, value, {
      channel: r.slack.dmChannel(ALICE),
      ts: message?.ts ?? "",
    });
    await r.slack.waitFor(() => r.alerts.list("org-1").some((a) => a.ruleId === "mcp-not-me"));
    const alert = r.alerts.list("org-1").find((a) => a.ruleId === "mcp-not-me");
    expect(alert?.title).toContain("in the week from 2026-11-02 to 2026-11-09");
  });

  it("Looks right is recorded and raises nothing", async () => {
    const r = await rig();
    await r.weekly().run();
    await r.settled();
    await r.poster.drain();
    const [message] = r.dm(ALICE);
    const value = buttonValue(message?.blocks);
    await r.click("attest_ok", ALICE, value, {
      channel: r.slack.dmChannel(ALICE),
      ts: message?.ts ?? "",
    });
    await r.slack.waitFor(() => r.dm(ALICE)[0]?.text.includes("looks right") ?? false);
    expect(r.stores.attestations.get(idIn(value))?.answer).toBe("yes");
    expect(r.alerts.list("org-1")).toHaveLength(0);
  });
});

describe("attestation in the rules file", () => {
  it("is off unless given, and each problem names its field", () => {
    expect(parseRulesText("", "rules.yml").attestation).toBeUndefined();
    expect(
      parseRulesText('attestation: { cron: "0 10 * * MON" }', "rules.yml").attestation,
    ).toEqual({ cron: "0 10 * * MON", minCalls: 20 });
    expect(() => parseRulesText('attestation: { cron: "every monday" }', "rules.yml")).toThrow(
      /attestation\.cron: expected a cron expression/,
    );
    expect(() =>
      parseRulesText('attestation: { cron: "0 10 * * MON", minCalls: 0 }', "rules.yml"),
    ).toThrow(/attestation\.minCalls: expected a positive integer/);
    expect(() =>
      parseRulesText('attestation: { cron: "0 10 * * MON", every: 1 }', "rules.yml"),
    ).toThrow(/attestation/);
  });
});
