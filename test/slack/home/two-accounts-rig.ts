/** Alice with two Atlassian accounts on one e-mail, her Friday calls, the weekly check, her Home. */
import { SlackDirectory } from "../../../src/slack/directory.js";
import { WeeklyAttestation } from "../../../src/slack/people/attestation.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { T0 } from "../../detect/fixtures.js";
import { buttonValue, idIn } from "../people/attestation-rig.js";
import { ALICE, homeRig } from "./home-rig.js";

export const FRIDAY = "2026-10-30";
const SECOND = { userId: "acc-alice-2", actorId: "acc-alice-2" };

/**
 * Alice's Friday calls (`second` of them with her second account, the first at 11:00, then every
 * two hours: she uses both accounts in turn, the first at 12:00) and the weekly check.
 */
export async function twoAccounts(second: number) {
  const r = await homeRig();
  r.clock.advance(30_000);
  r.activity(
    [...Array(second).keys()].map((i) => ({ ...SECOND, time: T0 - 5 * DAY + (1 + 2 * i) * HOUR })),
  );
  r.activity([0, 1, 2].map((i) => ({ time: T0 - 5 * DAY + 2 * HOUR + i })));
  const polled = { orgId: "org-1", cursor: null, lastProcessedAt: T0, backfillFrom: null };
  r.stores.pollStates.save({ ...polled, backfillUntil: T0 - 30 * DAY, backfillDone: true }, T0);
  const check = new WeeklyAttestation({
    stores: r.stores,
    clock: r.clock,
    logger: r.logs.logger,
    orgId: "org-1",
    orgIds: ["org-1"],
    cron: "0 10 * * WED",
    timeZone: "UTC",
    minCalls: 3,
    directory: new SlackDirectory({ client: r.client, clock: r.clock }),
  });
  /** Sends the check: its messages to Alice. */
  const send = async () => {
    await check.run();
    await r.settled();
    await r.poster.drain();
    return r.slack.messages(r.slack.dmChannel(ALICE));
  };
  /** Presses Not me on the check's message about `account`. */
  const notMeOn = async (messages: Awaited<ReturnType<typeof send>>, account: string) => {
    const message = messages.find(
      (m) => r.stores.attestations.get(idIn(buttonValue(m.blocks)))?.accountId === account,
    );
    const where = { channel: r.slack.dmChannel(ALICE), ts: message?.ts ?? "" };
    await r.click("attest_not_me", ALICE, buttonValue(message?.blocks), where);
    await r.settled();
  };
  const notMe = () => r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me");
  return { ...r, send, notMeOn, notMe };
}
