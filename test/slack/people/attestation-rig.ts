/** The weekly check's test rig: see attestationRig. */
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { WatchedOrgs } from "../../../src/organizations.js";
import { SlackDirectory } from "../../../src/slack/directory.js";
import {
  type AttestationOptions,
  WeeklyAttestation,
} from "../../../src/slack/people/attestation.js";
import { registerAttestationActions } from "../../../src/slack/people/attestation-actions.js";
import { DAY } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

export const ALICE = "UALICE";
export const BOB = "UBOB";
/** Monday 2026-11-09 10:00:30 UTC: just after the check's time. */
export const MONDAY = Date.UTC(2026, 10, 9, 10, 0, 30);

/**
 * The fake Slack, the real Bolt app answering the checks' buttons, and a week of calls: Alice 26
 * (3 writes, 1 delete), Bob 5, Carol 30 (no Slack account), and Alice's 40 of the week before.
 * Each organization's history was read a month before. `producer`: the alert producer's options.
 */
export async function attestationRig(
  zone = "UTC",
  orgs: readonly string[] = ["org-1"],
  producer: Parameters<typeof slackRig>[0] = {},
) {
  const r = await slackRig(producer);
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
      orgs: new WatchedOrgs([...orgs]),
      clock: r.clock,
      logger: r.logs.logger,
      queued: r.queued,
      timeZone: zone,
      accountsOf: (orgId, email) => r.stores.activity.holdersOf(orgId, email, r.clock.now()),
    });
  });
  let n = 0;
  const calls = (count: number, e: Partial<NormalizedEvent> = {}) => {
    const base = normalizedEvent();
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
  calls(22);
  calls(3, { tool: "updateJiraIssue", toolClass: "write", resource: "WEB-1" });
  calls(1, { tool: "deleteJiraIssue", toolClass: "destructive" });
  calls(5, { userId: "acc-bob", userEmail: "bob@example.com", userName: "Bob" });
  calls(30, { userId: "acc-carol", userEmail: "carol@example.com", userName: "Carol" });
  calls(40, { time: MONDAY - 8 * DAY }); // the week before: not counted
  r.clock.advance(MONDAY - r.clock.now());
  for (const orgId of orgs) {
    const state = { orgId, cursor: null, lastProcessedAt: MONDAY, backfillFrom: null };
    r.stores.pollStates.save(
      { ...state, backfillUntil: MONDAY - 30 * DAY, backfillDone: true },
      MONDAY,
    );
  }
  const directory = new SlackDirectory({ client: r.client, clock: r.clock });
  const weekly = (
    o: {
      orgId?: string;
      directory?: Pick<SlackDirectory, "reach">;
    } & Partial<
      Pick<
        AttestationOptions,
        "clock" | "cron" | "timeZone" | "minCalls" | "readThrough" | "pollSoon"
      >
    > = {},
  ) =>
    new WeeklyAttestation({
      stores: r.stores,
      logger: r.logs.logger,
      orgId: o.orgId ?? "org-1",
      orgIds: orgs,
      queued: r.queued,
      clock: o.clock ?? r.clock,
      cron: o.cron ?? "0 10 * * MON",
      timeZone: o.timeZone ?? zone,
      minCalls: o.minCalls ?? 20,
      directory: o.directory ?? directory,
      ...(o.readThrough && { readThrough: o.readThrough }),
      ...(o.pollSoon && { pollSoon: o.pollSoon }),
    });
  const dm = (user: string) => r.slack.messages(r.slack.dmChannel(user));
  return { ...r, ...b, weekly, dm, calls };
}

/** The check's buttons' value (its id, a dot, when it was recorded), and the id in it. */
export const buttonValue = (blocks: unknown) =>
  /"value":"(\d+\.\d+)"/.exec(JSON.stringify(blocks))?.[1] ?? "";
export const idIn = (value: string) => Number(value.split(".")[0]);
