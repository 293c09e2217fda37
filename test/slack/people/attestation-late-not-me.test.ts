/**
 * The weekly check's "Not me" answered days late, with a retention of days: the person's calls of
 * the week stay with the unanswered check, so the security team gets its alert; and a "not me"
 * about calls no longer stored is not recorded as told.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { WatchedOrgs } from "../../../src/organizations.js";
import { SlackDirectory } from "../../../src/slack/directory.js";
import {
  type AttestationOptions,
  WeeklyAttestation,
} from "../../../src/slack/people/attestation.js";
import { registerAttestationActions } from "../../../src/slack/people/attestation-actions.js";
import { DAY } from "../../../src/time-units.js";
import { mcpEvent, T0 } from "../../detect/fixtures.js";
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

/** Alice's check, sent; and how to click its buttons. */
async function sentCheck(r: Awaited<ReturnType<typeof rig>>) {
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
function pruneAfterWeekend(r: Awaited<ReturnType<typeof rig>>): number {
  r.clock.advance(4 * DAY);
  r.stores.alerts.setLastEvaluated("org-1", r.stores.events.maxSeq("org-1"), r.clock.now());
  return r.stores.retention.pruneEvents("org-1", r.clock.now() - 3 * DAY, 10_000);
}

const callsOf = (r: Awaited<ReturnType<typeof rig>>, user: string | null) =>
  r.db.prepare("SELECT count(*) FROM events WHERE user_id = ?").pluck().get(user);

describe("the weekly check's Not me, answered after a retention of days", () => {
  it("raises the alert from the check's own figures once the week's calls are deleted", async () => {
    const r = await rig();
    const check = await sentCheck(r);
    expect(pruneAfterWeekend(r)).toBeGreaterThan(0);
    // Retention keeps nothing for a check waiting for its answer: the week's calls are gone.
    expect(callsOf(r, mcpEvent().userId)).toBe(0);

    await check.press("attest_not_me");
    const raised = r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me");
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ severity: "high", eventCount: 26, notify: true });
    expect(raised[0]?.title).toMatch(
      /^Alice Example says the AI-tool activity with their account in the week from .* was not them \(26 calls, 3 writes, 1 delete in .*; the calls are no longer stored\)$/,
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
});
