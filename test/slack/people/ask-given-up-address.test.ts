/**
 * "Did you do this?" about a call read late, made when the account had an address it has given
 * up since (its newest call has another): that address may be someone else's in Slack now. The
 * person asked is the one who has the account's address now, as for the App Home and `user:me`;
 * nobody, when another account took that address up after the account's last call (a leaver's).
 */
import { describe, expect, it } from "vitest";
import { EventStore } from "../../../src/store/events.js";
import { DAY } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { askRig } from "./ask-rig.js";

const CAROL = "UCAROL";
const carol = { userId: "acc-carol", actorId: "acc-carol", userName: "Carol Secret" };

/** acc-carol called with carol@example.com today; Alice holds the address it had 20 days ago. */
async function lateCallOfAnAddressGivenUp() {
  const a = await askRig();
  const base = normalizedEvent();
  new EventStore(a.db).insertMany(
    [{ ...base, ...carol, id: "carol-now", time: T0, userEmail: "carol@example.com" }],
    T0,
  );
  const postLateAlert = () =>
    a.postAlert(
      {
        ruleId: "mcp-off-hours",
        severity: "medium",
        groupKey: "mcp-off-hours|acc-carol",
        title: "Off-hours MCP call by Carol Secret",
        userId: "acc-carol",
        userName: "Carol Secret",
        userEmail: "p1@example.com",
        firstSeen: T0 - 20 * DAY,
        lastSeen: T0 - 20 * DAY,
        late: true,
      },
      {
        ...carol,
        time: T0 - 20 * DAY,
        userEmail: "p1@example.com",
        resource: "HR salary review",
        ip: "198.51.100.7",
      },
    );
  return { a, postLateAlert };
}

describe("asking about a call made with an address the account gave up since", () => {
  it("asks the one who has the account's address now, and says why in the thread", async () => {
    const { a, postLateAlert } = await lateCallOfAnAddressGivenUp();
    a.slack.addUser({ id: CAROL, name: "carol", email: "carol@example.com" });
    const { where } = await postLateAlert();
    await a.waitForThread(where.ts, `Asked <@${CAROL}>`);
    await a.settled();

    expect(a.dm()).toEqual([]);
    const asked = a.slack.messages(a.slack.dmChannel(CAROL));
    expect(asked).toHaveLength(1);
    expect(JSON.stringify(asked[0]?.blocks)).toContain("HR salary review");
    expect(a.thread(where.ts)).toEqual([
      `Asked <@${CAROL}> by direct message whether this was them, by the address the account has now: its e-mail address changed since this call.`,
    ]);
  });

  it("asks nobody when the address it has now is not in Slack", async () => {
    const { a, postLateAlert } = await lateCallOfAnAddressGivenUp();
    const { id, where } = await postLateAlert();
    await a.waitForThread(where.ts, "Not asked");
    await a.settled();

    expect(a.dm()).toEqual([]);
    expect(a.store.get("org-1", id)?.askState).toBe("not-asked");
    expect(a.thread(where.ts)).toEqual([
      "Not asked: the account's e-mail address changed since this call, and carol@example.com, the address it has now, was not found in this Slack workspace.",
    ]);
  });
});

describe("asking about a call of an account whose address another account took up since", () => {
  it("asks nobody, not the new holder of a leaver's address, and says why in the thread", async () => {
    const a = await askRig(); // Alice (p1@example.com in Slack): the new hire
    // The new hire's account took the address up a day after the leaver's last call.
    new EventStore(a.db).insertMany(
      [
        {
          ...normalizedEvent(),
          id: "new-1",
          userId: "acc-new",
          actorId: "acc-new",
          userName: "Nu Hire",
          userEmail: "p1@example.com",
          time: T0 - DAY,
        },
      ],
      T0,
    );
    const leaver = { userId: "acc-leaver", actorId: "acc-leaver", userName: "Lee Ver" };
    const { id, where } = await a.postAlert(
      {
        ruleId: "mcp-off-hours",
        severity: "medium",
        groupKey: "mcp-off-hours|acc-leaver",
        title: "Off-hours MCP call by Lee Ver",
        userId: "acc-leaver",
        userName: "Lee Ver",
        userEmail: "p1@example.com",
        firstSeen: T0 - 2 * DAY,
        lastSeen: T0 - 2 * DAY,
        late: true,
      },
      { ...leaver, time: T0 - 2 * DAY, userEmail: "p1@example.com", resource: "HR salary review" },
    );
    await a.waitForThread(where.ts, "Not asked");
    await a.settled();

    expect(a.dm()).toEqual([]);
    expect(a.store.get("org-1", id)?.askState).toBe("not-asked");
    expect(a.thread(where.ts)).toEqual([
      "Not asked: p1@example.com is another Atlassian account's address now, one whose first call with it came after this account's last (a leaver's address given to someone new), so whoever has it in Slack is not asked about this account.",
    ]);
  });
});
