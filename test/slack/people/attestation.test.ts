/** The weekly "acted as you" check through the outbox, the real Bolt app and the fake Slack. */
import { describe, expect, it } from "vitest";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import { weekBefore } from "../../../src/slack/people/attestation.js";
import { DAY } from "../../../src/time-units.js";
import { mcpEvent, normalizedEvent, T0 } from "../../detect/fixtures.js";
import { VirtualClock } from "../../fakes/virtual-clock.js";
import { CHANNEL } from "../setup.js";
import { ALICE, attestationRig, BOB, buttonValue, idIn, MONDAY } from "./attestation-rig.js";

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
    const r = await attestationRig();
    expect(await r.weekly().run()).toBe(1);
    await r.settled();
    await r.poster.drain();
    const [message] = r.dm(ALICE);
    expect(message?.text).toContain(
      "AI tools acted as you: 26 calls, 3 writes, 1 destructive or admin call in OPS, WEB",
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
    const r = await attestationRig();
    r.slack.addUser({ id: "UXAVIER", email: "xavier@example.com" });
    r.slack.addUser({ id: "UZOE", email: "zoe@example.com" }); // has Xavier's old address
    const base = normalizedEvent();
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
    const r = await attestationRig();
    r.slack.addUser({ id: "UCAROL", email: "carol@example.com" });
    let lookups = 0;
    const failing = {
      reach: async (email: string) => {
        if (++lookups === 2) throw new Error("Slack went away");
        return { user: email.startsWith("alice") ? ALICE : "UCAROL" };
      },
    };
    await expect(r.weekly({ directory: failing }).run()).rejects.toThrow("Slack went away");
    expect(await r.weekly().run()).toBe(1);
    await r.settled();
    await r.poster.drain();
    expect(r.dm(ALICE)).toHaveLength(1);
    expect(r.dm("UCAROL")).toHaveLength(1);
  });

  it("asks nobody, once, when Slack refuses the look-ups for a scope the app lacks, saying which", async () => {
    const r = await attestationRig();
    r.slack.addUser({ id: "UCAROL", email: "carol@example.com" });
    r.slack.failNext(
      "users.lookupByEmail",
      { error: "missing_scope", fields: { needed: "users:read.email", provided: "users:read" } },
      10,
    );
    expect(await r.weekly().run()).toBe(0);
    // Refused for the method, it would be for everyone: Slack's limit is not spent asking again.
    expect(r.slack.callsTo("users.lookupByEmail")).toHaveLength(1);
    expect(r.logs.text()).toContain(
      "weekly check: 0 direct message(s) queued; 2 person(s) not asked: Slack refused to look them up by e-mail (missing_scope: the Slack app lacks a scope: add the users:read.email scope to the Slack app and reinstall it)",
    );
    // The run is done: not tried again at every tick of the day.
    expect(await r.weekly().run()).toBe(0);
    expect(r.slack.callsTo("users.lookupByEmail")).toHaveLength(1);
  });

  it("asks everyone else when Slack refuses one person's look-up for good", async () => {
    const r = await attestationRig();
    r.slack.addUser({ id: "UCAROL", email: "carol@example.com" });
    r.slack.failNext("users.lookupByEmail", { error: "invalid_email" }, 1, (params) =>
      String(params.email).startsWith("alice"),
    );
    expect(await r.weekly().run()).toBe(1);
    await r.settled();
    await r.poster.drain();
    expect(r.dm(ALICE)).toHaveLength(0);
    expect(r.dm("UCAROL")).toHaveLength(1);
    expect(r.logs.text()).toContain(
      "1 person(s) not asked: Slack refused to look them up by e-mail (invalid_email)",
    );
  });

  it("asks nobody again about a week of a change of the clocks a release before this one asked about", async () => {
    const r = await attestationRig();
    // Berlin's week from Monday 19 October 11:00 (summer time) to Monday 26 October 11:00: 169 h.
    const monday = Date.UTC(2026, 9, 26, 10, 0, 30);
    const base = normalizedEvent();
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
    const r = await attestationRig();
    r.clock.advance(2 * DAY);
    expect(await r.weekly().run()).toBe(0);
  });

  it("Not me raises a high alert about the person, and only they may answer, once", async () => {
    const r = await attestationRig();
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
    const r = await attestationRig("Australia/Sydney");
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
    expect(alert?.title).toContain(
      "in the week from 2026-11-02 to 2026-11-09 (Australia/Sydney, the digest's time zone) was not them",
    );
  });

  it("goes after the channel's roll-up when both wait: the checks are many and none urgent", async () => {
    const r = await attestationRig("UTC", ["org-1"], { maxPerHour: 0 });
    r.raise({ severity: "medium", ruleId: "mcp-first-use" }); // past the hour's budget
    expect(await r.weekly().run()).toBe(1); // Alice's check, then the poster's pass
    await r.settled();
    const rollup = r.slack.calls.findIndex(
      (c) => c.method === "chat.postMessage" && c.params.channel === CHANNEL,
    );
    const check = r.slack.calls.findIndex((c) => c.method === "conversations.open");
    expect(rollup).toBeGreaterThanOrEqual(0);
    expect(check).toBeGreaterThan(rollup);
    expect(r.dm(ALICE)).toHaveLength(1);
  });

  it("Looks right is recorded and raises nothing", async () => {
    const r = await attestationRig();
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

  it("takes a time once a week, and refuses one that runs more or less often", () => {
    const cronOf = (cron: string) =>
      parseRulesText(`attestation: { cron: "${cron}" }`, "rules.yml").attestation?.cron;
    for (const weekly of ["0 10 * * MON", "30 8 * * 5", "0 0 10 * * sun", "0 10 * * 1-1"])
      expect(cronOf(weekly)).toBe(weekly);
    const refusal = (cron: string) => {
      try {
        cronOf(cron);
      } catch (error) {
        return (error as { problems: string[] }).problems.join("\n");
      }
      return "accepted";
    };
    const asks = (apart: string) =>
      `RULES_FILE rules.yml: attestation.cron: it runs ${apart} after a run, not once a week: the check asks each person once a week about the week before it, so give a weekly time such as "0 10 * * MON" (Mondays at 10:00)`;
    expect(refusal("0 10 * * *")).toBe(asks("1 day"));
    expect(refusal("* * * * *")).toBe(asks("1 minute"));
    expect(refusal("* 0 10 * * MON")).toBe(asks("1 second"));
    expect(refusal("0 */6 * * MON")).toBe(asks("6 hours"));
    expect(refusal("0 10 * * MON,THU")).toBe(asks("3 days"));
    expect(refusal("0 10 1 * *")).toBe(asks("28 days"));
    // Its first run years away (2028), then every 4 years.
    expect(refusal("0 10 29 2 *")).toBe(asks("1461 days"));
    // Mondays of the first half of the year only; the 1st to 7th of the month or a Monday.
    expect(refusal("0 10 * 1-6 MON")).toMatch(/runs \d+ days after a run, not once a week/);
    expect(refusal("0 10 1-7 * MON")).toMatch(/runs \d+ days? after a run, not once a week/);
  });
});

type Rig = Awaited<ReturnType<typeof attestationRig>>;

/** Alice's check, sent; and how to click its buttons. */
async function sentCheck(r: Rig) {
  await r.weekly().run();
  await r.settled();
  await r.poster.drain();
  const [message] = r.dm(ALICE);
  const value = buttonValue(message?.blocks);
  const where = { channel: r.slack.dmChannel(ALICE), ts: message?.ts ?? "" };
  const press = async (action: string) => {
    const click = await r.click(action, ALICE, value, where);
    await r.settled();
    await r.poster.drain();
    return click;
  };
  return { id: idIn(value), press };
}

/** RETENTION_DAYS=3, four days after the check (a long weekend): what the pass deletes. */
function pruneAfterWeekend(r: Rig): number {
  r.clock.advance(4 * DAY);
  r.stores.alerts.setLastEvaluated("org-1", r.stores.events.maxSeq("org-1"), r.clock.now());
  return r.stores.retention.pruneEvents("org-1", r.clock.now() - 3 * DAY, 10_000);
}

const callsOf = (r: Rig, user: string | null) =>
  r.db.prepare("SELECT count(*) FROM events WHERE user_id = ?").pluck().get(user);

describe("the weekly check's Not me, answered after a retention of days", () => {
  it("raises the alert from the check's own figures once the week's calls are deleted", async () => {
    const r = await attestationRig();
    const check = await sentCheck(r);
    expect(pruneAfterWeekend(r)).toBeGreaterThan(0);
    // Retention keeps nothing for a check waiting for its answer: the week's calls are gone.
    expect(callsOf(r, mcpEvent().userId)).toBe(0);

    await check.press("attest_not_me");
    const raised = r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me");
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ severity: "high", eventCount: 26, notify: true });
    expect(raised[0]?.title).toMatch(
      /^Alice Example says the AI-tool activity with their account in the week from .* \(UTC, the digest's time zone\) was not them \(26 calls, 3 writes, 1 destructive or admin call in .*; the calls are no longer stored\)$/,
    );
    expect(r.stores.attestations.get(check.id)).toMatchObject({
      answer: "no",
      alertId: raised[0]?.id,
    });
    // Posted to the channel, drawn without an event to point at.
    await r.slack.waitFor(
      () =>
        r.slack.messages(CHANNEL).some((m) => m.text?.includes("the calls are no longer stored")),
      5000,
      "the alert posted",
    );
    const again = await check.press("attest_not_me");
    expect(await again.reply()).toBe("You have answered this already (not me).");
  });

  it("raises it with what the person was shown when an alert kept one of the week's calls", async () => {
    const r = await attestationRig();
    const check = await sentCheck(r);
    // Alice's delete call of that week raised an alert: retention keeps that one event.
    const alice = mcpEvent().userId;
    let deleteSeq = 0;
    for (const chunk of r.stores.events.iterate("org-1", 1000))
      for (const e of chunk)
        if (e.userId === alice && e.tool === "deleteJiraIssue") deleteSeq = e.seq;
    r.raise({ userId: alice, firstEventSeq: deleteSeq, lastEventSeq: deleteSeq });
    pruneAfterWeekend(r);
    expect(callsOf(r, alice)).toBe(1);

    await check.press("attest_not_me");
    const [raised] = r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me");
    expect(raised?.eventCount).toBe(26);
    expect(raised?.title).toMatch(
      /\(26 calls, 3 writes, 1 destructive or admin call in .*; 25 of them no longer stored\)$/,
    );
    expect(raised?.firstEventSeq).toBe(deleteSeq); // the call left, to point at
  });
});
