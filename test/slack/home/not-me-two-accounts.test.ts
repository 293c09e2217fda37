/**
 * A person whose Slack e-mail holds two Atlassian accounts. The Home's Not me for a day covers
 * both accounts, its alert grouped under the account of the day's first call; the weekly check asks
 * about each account apart. A check's Not me about calls the Home's open alert covers is refused,
 * while one about an account no earlier Not me covered still raises its own alert.
 */
import { describe, expect, it } from "vitest";
import { SlackDirectory } from "../../../src/slack/directory.js";
import { WeeklyAttestation } from "../../../src/slack/people/attestation.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { T0 } from "../../detect/fixtures.js";
import { buttonValue, idIn } from "../people/attestation-rig.js";
import { ALICE, homeRig } from "./home-rig.js";

const FRIDAY = "2026-10-30";
const SECOND = { userId: "acc-alice-2", actorId: "acc-alice-2" };

/** Alice's Friday calls (`second` of them with her second account, first) and the weekly check. */
async function twoAccounts(second: number) {
  const r = await homeRig();
  r.clock.advance(30_000);
  r.activity([...Array(second).keys()].map((i) => ({ ...SECOND, time: T0 - 5 * DAY + HOUR + i })));
  r.activity([0, 1, 2].map((i) => ({ time: T0 - 5 * DAY + 2 * HOUR + i })));
  const polled = { orgId: "org-1", cursor: null, lastProcessedAt: T0, backfillFrom: null };
  r.stores.pollStates.save({ ...polled, backfillUntil: T0 - 30 * DAY, backfillDone: true }, T0);
  const check = new WeeklyAttestation({
    stores: r.stores,
    clock: r.clock,
    logger: r.logs.logger,
    orgId: "org-1",
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
});
