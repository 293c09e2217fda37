/**
 * Only the person asked may answer, once, even a question the outbox gave up at its deadline
 * although Slack had posted it (an `internal_error` that did post, then a day of failed look-ups):
 * the answer is recorded, and a second click is refused. So it is from a question an earlier
 * release posted, whose buttons name the alert by the bare id.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { upgradedAt } from "../../helpers/stamping.js";
import { ALICE, askRig } from "./ask-rig.js";

const asks = { ruleId: "mcp-first-use", severity: "medium" as const };

/** The value of the question's buttons: as drawn now (id and time), as an earlier release drew it. */
const VALUES = [
  ["its id and time", (a: Awaited<ReturnType<typeof askRig>>, id: number) => a.buttonRef(id)],
  ["the bare id of an earlier release", (_: unknown, id: number) => String(id)],
] as const;

describe("a question given up at its deadline although Slack had posted it", () => {
  it.each(VALUES)("takes the person's answer once (%s)", async (_, value) => {
    const a = await askRig("ask:\n  expectedOnYes: [mcp-first-use]\n");
    const dm = a.slack.dmChannel(ALICE);
    // Slack posts the question and answers internal_error ("may have succeeded in part");
    // the look-ups that follow meet an outage until the question's day is over.
    a.slack.failNext(
      "chat.postMessage",
      { errorAfter: "internal_error" },
      1,
      (p) => p.channel === dm,
    );
    a.slack.failNext("conversations.history", { status: 503 }, 50);
    const { id, where } = await a.postAlert(asks);
    expect(a.dm()).toHaveLength(1); // in Alice's Slack, with its buttons
    a.clock.advance(25 * HOUR);
    await a.pass();
    await a.waitForThread(where.ts, "Not asked: the direct message failed");
    expect(a.store.get("org-1", id)?.askState).toBe("not-asked");
    upgradedAt(a.db, a.clock.now()); // to this release, after the question was posted

    // Alice sees the question and answers it.
    const question = { channel: dm, ts: a.dm()[0]?.ts ?? "" };
    await a.click("ask_no", ALICE, value(a, id), question);
    await a.waitForThread(where.ts, `<@${ALICE}> says this was *not* them`);
    await a.settled();
    expect(a.store.get("org-1", id)?.answer).toBe("no");
    expect(a.alerts.get(id)?.severity).toBe("high");

    // A second click is refused, as for any answered question.
    const again = await a.click("ask_yes", ALICE, value(a, id), question);
    expect(await again.reply()).toBe("You have answered this already (no).");
    await a.settled();
    expect(a.alerts.get(id)?.status).toBe("open");
    expect(a.thread(where.ts).filter((t) => t.includes("confirmed this was them"))).toEqual([]);
  });
});
