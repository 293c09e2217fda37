import { describe, expect, it } from "vitest";
import { MINUTE } from "../../src/time-units.js";
import { askSomeone, problemNow, slackRig } from "./setup.js";

const IM_WRITE_ADVICE =
  "the Slack app lacks a scope: add the im:write scope to the Slack app and reinstall it";
/** What Slack answers a call whose scope the app lost. */
const NO_IM_WRITE = {
  error: "missing_scope",
  fields: { needed: "im:write", provided: "chat:write,users:read" },
};

/**
 * A workspace admin removes the app's im:write scope (or an app update loses it) while the bot
 * runs: every direct message meets missing_scope at conversations.open, while alerts still reach
 * the channel (chat:write). Only a direct message's channel opening again proves the scope back.
 */
describe("a scope removed that only direct messages need, while alerts keep flowing", () => {
  it("is told once, naming the scope, and keeps /healthz 503 until a direct message opens", async () => {
    const r = await slackRig();
    askSomeone(r);
    r.slack.failNext("conversations.open", NO_IM_WRITE, 6);
    const problems: Array<string | null> = [];
    for (let i = 0; i < 6; i++) {
      r.raise(); // an alert a minute, posted to the channel
      await r.poster.drain();
      problems.push(problemNow(r));
      r.clock.advance(MINUTE);
    }
    expect(r.slack.callsTo("conversations.open")).toHaveLength(6);
    expect(problems).toEqual(Array(6).fill(IM_WRITE_ADVICE));
    const told = r.logs.lines().filter((l) => String(l.msg).includes(IM_WRITE_ADVICE));
    expect(told.filter((l) => Number(l.level) >= 40)).toHaveLength(1);

    await r.poster.drain(); // the scope is back: the question gets through
    expect(r.slack.messages(r.slack.dmChannel("U0PERSON")).map((m) => m.text)).toEqual([
      "Did you do this?",
    ]);
    expect(problemNow(r)).toBeNull();
    const again = r.logs.lines().filter((l) => l.msg === "Slack delivery works again");
    expect(again).toHaveLength(1);
  });

  it("outlasts a passing outage of posts, which ends when an alert gets through", async () => {
    const r = await slackRig();
    askSomeone(r);
    r.slack.failNext("conversations.open", NO_IM_WRITE, 10);
    await r.poster.drain();
    r.clock.advance(1_000);
    r.slack.failNext("chat.postMessage", { error: "service_unavailable" });
    r.raise();
    await r.poster.drain();
    expect(r.poster.health().failingSince).not.toBeNull();
    expect(problemNow(r)).toBe(IM_WRITE_ADVICE);
    r.clock.advance(40_000); // the alert is tried again; the direct message waits its minute
    await r.poster.drain();
    expect(r.slack.callsTo("conversations.open")).toHaveLength(1);
    expect(r.poster.health().failingSince).toBeNull();
    expect(problemNow(r)).toBe(IM_WRITE_ADVICE);
  });

  it("ends when Slack answers conversations.open otherwise: it checked the scope first", async () => {
    const r = await slackRig();
    askSomeone(r);
    r.slack.failNext("conversations.open", NO_IM_WRITE);
    r.slack.failNext("conversations.open", { error: "user_not_found" }); // the person left meanwhile
    await r.poster.drain();
    expect(problemNow(r)).toBe(IM_WRITE_ADVICE);
    r.clock.advance(MINUTE);
    await r.poster.drain();
    expect(r.slack.pendingFaults("conversations.open")).toBe(0);
    expect(problemNow(r)).toBeNull();
  });
});

/**
 * Slack names the scope chat.postMessage lacks `chat:write:bot` to a bot token (and
 * `chat:write:user` to a user token), not chat:write, the scope the Slack app is given.
 */
describe("chat:write removed while the bot runs", () => {
  it.each(["chat:write:bot", "chat:write:user", "chat:write:bot,chat:write:user"])(
    "Slack's needed %s is told as the chat:write scope to add",
    async (needed) => {
      const r = await slackRig();
      r.slack.failNext("chat.postMessage", {
        error: "missing_scope",
        fields: { needed, provided: "users:read" },
      });
      r.raise();
      await r.poster.drain();
      const advice =
        "the Slack app lacks a scope: add the chat:write scope to the Slack app and reinstall it";
      expect(problemNow(r)).toBe(advice);
      expect(r.logs.text()).toContain(advice);
    },
  );
});
