/**
 * A person with two Atlassian accounts on one e-mail says Not me in the weekly check about one of
 * them, then on the Home about a day both were used: the calls of the other account are in no
 * alert yet, so the Home's Not me raises one about them, saying which alert has the rest. And a
 * Home Not me raised before alerts recorded their accounts still covers all of the person's.
 */
import { describe, expect, it } from "vitest";
import { ALICE } from "./home-rig.js";
import { FRIDAY, twoAccounts } from "./two-accounts-rig.js";

const accountsOf = (a: { detail: unknown }) => (a.detail as { accounts?: string[] }).accounts;

describe("a Home Not me after one account's weekly Not me", () => {
  it("raises an alert about the other account's calls that day, naming the weekly one", async () => {
    // Friday: 3 calls with acc-alice-2, 3 with acc-alice. Both asked weekly; Alice says Not me
    // about acc-alice only, then on her Home about Friday.
    const r = await twoAccounts(3);
    const messages = await r.send();
    expect(messages).toHaveLength(2);
    await r.notMeOn(messages, "acc-alice");
    const [weekly] = r.notMe();
    expect(weekly?.eventCount).toBe(3);

    await r.openHome(ALICE);
    const before = await r.homeOf(ALICE);
    expect(before.text).not.toContain("You said this was not you");
    await r.homeClick("home_not_me", ALICE, `${FRIDAY}|org-1`);
    await r.settled();
    const home = await r.homeOf(ALICE, 2);
    expect(home.text).toContain("the security team has been told");
    // Both accounts' Friday calls are told now: the day shows it, and a second press is refused.
    expect(home.text).toContain("You said this was not you");
    const [, added] = r.notMe();
    expect(added && accountsOf(added)).toEqual(["acc-alice-2"]);
    expect(added?.eventCount).toBe(3);
    expect(added?.userId).toBe("acc-alice-2");
    expect(added?.title).toContain(`(3 calls besides those in alert ${weekly?.id})`);
    await r.homeClick("home_not_me", ALICE, `${FRIDAY}|org-1`);
    await r.settled();
    expect((await r.homeOf(ALICE, 3)).text).toContain("You said so already");
    expect(r.notMe()).toHaveLength(2);
  });

  it("reads a Home Not me raised before accounts were recorded as covering every account", async () => {
    // Alice's Home Not me about Friday, grouped under acc-alice-2 (the day's first call), stored
    // as alerts were before they named their accounts.
    const r = await twoAccounts(3);
    await r.openHome(ALICE);
    await r.homeOf(ALICE);
    await r.homeClick("home_not_me", ALICE, `${FRIDAY}|org-1`);
    await r.settled();
    const [home] = r.notMe();
    expect(home?.userId).toBe("acc-alice-2");
    r.db
      .prepare("UPDATE alerts SET detail = json_remove(detail, '$.accounts') WHERE id = ?")
      .run(home?.id);

    // The check's Not me about acc-alice is refused, answered with that alert: it covered both.
    const messages = await r.send();
    await r.notMeOn(messages, "acc-alice");
    expect(r.notMe().map((a) => a.id)).toEqual([home?.id]);
    expect(r.stores.attestations.get(1)?.accountId).toBe("acc-alice");
    expect(r.stores.attestations.get(1)?.alertId).toBe(home?.id);
  });
});
