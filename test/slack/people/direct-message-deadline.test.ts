/**
 * A "did you do this?" question or a weekly check not delivered within a day is not sent any
 * more, whatever held it back: a setup problem (im:write missing) fixed days later does not send
 * it late. One that may be in Slack already is still looked up first. Real Bolt, the fake Slack
 * over HTTP, a real SQLite file, a virtual clock.
 */
import { describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE } from "../../../src/time-units.js";
import { askRig } from "./ask-rig.js";
import { ALICE, attestationRig } from "./attestation-rig.js";

const noImWrite = {
  error: "missing_scope",
  fields: { needed: "im:write", provided: "chat:write,users:read,users:read.email" },
};
const asks = { ruleId: "mcp-first-use", severity: "medium" as const };

describe("a direct message held back past its deadline", () => {
  it("leaves the person not asked, and the alert's thread says why, once im:write is granted days later", async () => {
    const a = await askRig("ask:\n  expectedOnYes: [mcp-first-use]\n");
    // Opening the direct message is refused until the scope is added, two days after the day.
    a.slack.failNext("conversations.open", noImWrite, 2);
    const { id, where } = await a.postAlert(asks);
    await a.settled();
    a.clock.advance(DAY + MINUTE);
    await a.poster.drain();
    await a.settled();
    a.clock.advance(2 * DAY);
    await a.poster.drain();
    await a.settled();

    expect(a.dm()).toEqual([]);
    expect(a.store.get("org-1", id)?.askState).toBe("not-asked");
    expect(a.thread(where.ts)).toContain(
      "Not asked: the direct message failed (gave up at its deadline: missing_scope).",
    );
  });

  it("does not send the week's check once im:write is granted days later", async () => {
    const r = await attestationRig();
    r.slack.failNext("conversations.open", noImWrite, 2);
    await r.weekly().run();
    await r.poster.drain();
    await r.settled();
    r.clock.advance(DAY + MINUTE);
    await r.poster.drain();
    r.clock.advance(2 * DAY);
    await r.poster.drain();
    await r.settled();

    expect(r.dm(ALICE)).toEqual([]);
    expect(r.logs.text()).toContain(
      "an attestation message was not sent: gave up at its deadline: missing_scope",
    );
  });

  it("records a question Slack may have posted, found by its look-up after the deadline", async () => {
    const a = await askRig("ask:\n  expectedOnYes: [mcp-first-use]\n");
    const dm = a.slack.dmChannel(ALICE);
    // Slack posts the question and answers internal_error; the bot is down for a day after.
    a.slack.failNext(
      "chat.postMessage",
      { errorAfter: "internal_error" },
      1,
      (p) => p.channel === dm,
    );
    const { id, where } = await a.postAlert(asks);
    a.clock.advance(25 * HOUR);
    await a.poster.drain();
    await a.waitForThread(where.ts, "Asked <@UALICE> by direct message");
    await a.settled();

    expect(a.dm()).toHaveLength(1);
    expect(a.store.get("org-1", id)?.askState).not.toBe("not-asked");
  });
});
