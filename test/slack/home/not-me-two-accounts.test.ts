/**
 * A person whose Slack e-mail holds two Atlassian accounts. The Home's Not me for a day covers
 * both accounts, its alert grouped under the account of the day's first call; the weekly check asks
 * about each account apart. A check's Not me about calls the Home's open alert covers is refused,
 * while one about an account no earlier Not me covered still raises its own alert.
 */
import { describe, expect, it } from "vitest";
import { ALICE } from "./home-rig.js";
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
});
