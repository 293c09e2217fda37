import { describe, expect, it } from "vitest";
import { askSomeone, problemNow, slackRig } from "./setup.js";

/**
 * conversations.history needs another scope for each kind of conversation: im:history in a
 * direct message, channels:history or groups:history in the alert channel. Without im:history a
 * question whose post was cut off cannot be looked up before it is sent again; the alert
 * channel's look-ups working says nothing of that scope, so they must not end its problem.
 */
describe("im:history missing while the alert channel's history can be read", () => {
  it("keeps the scope's problem after an alert is looked up in the channel, until a direct message's look-up works", async () => {
    const r = await slackRig();
    const dm = r.slack.dmChannel("U0PERSON");
    askSomeone(r);
    // The question's post is cut off: it is looked up before being sent again.
    r.slack.failNext("chat.postMessage", { drop: true }, 1, (p) => p.channel === dm);
    let scopeMissing = true;
    const fields = { needed: "im:history", provided: "chat:write" };
    r.slack.failNext(
      "conversations.history",
      { error: "missing_scope", fields },
      100,
      (p) => scopeMissing && p.channel === dm,
    );
    await r.poster.drain();
    await r.slack.idle();
    r.clock.advance(40_000);
    await r.poster.drain();
    expect(problemNow(r)).toContain("add the im:history scope");
    // A look-up refused, not a post.
    const told = () =>
      r.logs.lines().filter((l) => Number(l.level) >= 50 && String(l.msg).includes("im:history"));
    expect(told().map((l) => l.msg)).toEqual([
      "Slack refused to look for a message whose post may have got through (missing_scope): the Slack app lacks a scope: add the im:history scope to the Slack app and reinstall it. Messages stay queued.",
    ]);

    // An alert's post is cut off too, and found in the channel by its look-up.
    r.raise();
    r.slack.failNext("chat.postMessage", { drop: true }, 1, (p) => p.channel !== dm);
    await r.poster.drain();
    await r.slack.idle();
    // Its look-up waits out the minute conversations.history is paused for the missing scope.
    for (let i = 0; i < 3; i++) {
      r.clock.advance(40_000);
      await r.poster.drain();
    }
    expect(r.slack.messages(dm)).toHaveLength(1); // the cut-off post
    expect(r.stores.outbox.health().pendingByKind.alert ?? 0).toBe(0); // found by its look-up
    // The question still cannot be looked up, hence not sent: the scope is still missing.
    expect(r.stores.outbox.health().pendingByKind.notice).toBe(1);
    expect(problemNow(r)).toContain("add the im:history scope");
    expect(told()).toHaveLength(1);
    const worksAgain = () => r.logs.lines().filter((l) => l.msg === "Slack delivery works again");
    expect(worksAgain()).toEqual([]);

    scopeMissing = false; // added and the app reinstalled
    r.clock.advance(60_000);
    await r.poster.drain();
    expect(r.stores.outbox.health().pendingByKind.notice ?? 0).toBe(0); // found by its look-up
    expect(problemNow(r)).toBeNull();
    expect(worksAgain()).toHaveLength(1);
  });
});
