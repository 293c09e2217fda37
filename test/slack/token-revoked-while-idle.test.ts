import { describe, expect, it } from "vitest";
import { TOKEN_CHECK_MS } from "../../src/slack/outbox/token-check.js";
import { MINUTE } from "../../src/time-units.js";
import { askSomeone, CHANNEL, problemNow, slackRig } from "./setup.js";

const REVOKED = "the bot token was revoked: reinstall the Slack app and update SLACK_BOT_TOKEN";

/** The rig after the start's check, and a pass of the poster after `ms` of quiet. */
async function started() {
  const r = await slackRig();
  expect(await r.poster.verify()).toBe(true);
  const quiet = async (ms: number) => {
    r.clock.advance(ms);
    await r.poster.drain();
  };
  return { r, quiet, checks: () => r.slack.callsTo("auth.test").length };
}

/**
 * An admin uninstalls the app, or revokes its token, on a quiet day: nothing is due to be
 * posted, so no post meets the refusal. Without a check, /healthz stayed green until the next
 * alert failed, the one the team needed.
 */
describe("the bot token revoked while nothing is posted", () => {
  it("is seen within TOKEN_CHECK_MS, said once with what to do, and makes /healthz 503", async () => {
    const { r, quiet, checks } = await started();
    r.slack.failNext("auth.test", { error: "token_revoked" }, 10);
    await quiet(TOKEN_CHECK_MS - MINUTE);
    expect(checks()).toBe(1); // the start's alone: not due yet
    expect(problemNow(r)).toBeNull();

    await quiet(MINUTE);
    expect(checks()).toBe(2);
    expect(r.poster.health().lastError).toMatchObject({ code: "token_revoked", advice: REVOKED });
    expect(problemNow(r)).toBe(REVOKED);

    await quiet(MINUTE); // not asked again at every pass
    expect(checks()).toBe(2);
    await quiet(TOKEN_CHECK_MS);
    await quiet(TOKEN_CHECK_MS);
    expect(checks()).toBe(4);
    const said = r.logs.lines().filter((l) => String(l.msg).includes(REVOKED));
    expect(said.map((l) => l.level)).toEqual([50, 20, 20]);
  });

  it("ends the problem once the token works again (reinstalled under the same token)", async () => {
    const { r, quiet } = await started();
    r.slack.failNext("auth.test", { error: "account_inactive" }, 1);
    await quiet(TOKEN_CHECK_MS);
    expect(problemNow(r)).toMatch(/uninstalled or its token revoked/);
    await quiet(TOKEN_CHECK_MS);
    expect(problemNow(r)).toBeNull();
    expect(r.poster.health().lastError).toBeNull();
    expect(r.logs.lines().filter((l) => l.msg === "Slack delivery works again")).toHaveLength(1);
  });

  it("is not asked while messages get through: a post proves the token", async () => {
    const { r, quiet, checks } = await started();
    for (let i = 0; i < 4; i++) {
      r.raise();
      await quiet(2 * MINUTE);
    }
    expect(r.slack.messages(CHANNEL)).toHaveLength(4);
    expect(checks()).toBe(1);
    await quiet(TOKEN_CHECK_MS); // quiet since the last post
    expect(checks()).toBe(2);
  });

  it("takes Slack out of reach for what it is, not a token problem", async () => {
    const { r, quiet, checks } = await started();
    r.slack.failNext("auth.test", { drop: true }, 1); // no answer at all
    await quiet(TOKEN_CHECK_MS);
    expect(checks()).toBe(2);
    expect(problemNow(r)).toBeNull(); // nothing waits: a blip is no setup problem
    expect(r.poster.health().unansweredSince).not.toBeNull();
    await quiet(TOKEN_CHECK_MS);
    expect(r.poster.health().unansweredSince).toBeNull();
  });

  it("takes a 503 for an answer with an error: failing, not out of reach", async () => {
    const { r, quiet } = await started();
    r.slack.failNext("auth.test", { status: 503 }, 1);
    await quiet(TOKEN_CHECK_MS);
    expect(problemNow(r)).toBeNull();
    expect(r.poster.health().failingSince).not.toBeNull();
    expect(r.poster.health().unansweredSince).toBeNull();
    await quiet(TOKEN_CHECK_MS);
    expect(r.poster.health().failingSince).toBeNull();
  });

  it("a token refused at start ends when a later check succeeds, with nothing to post", async () => {
    const r = await slackRig();
    r.slack.failNext("auth.test", { error: "invalid_auth" }, 1);
    expect(await r.poster.verify()).toBe(false);
    expect(problemNow(r)).toMatch(/SLACK_BOT_TOKEN is not valid/);
    r.clock.advance(MINUTE);
    await r.poster.drain(); // checked again a minute on, with the alert channel
    expect(r.slack.callsTo("auth.test")).toHaveLength(2);
    expect(problemNow(r)).toBeNull();
  });

  it("a 404 for auth.test at start is SLACK_API_URL's, until a later check is answered (a proxy mended)", async () => {
    const r = await slackRig();
    r.slack.failNext("auth.test", { raw: "Not Found", rawStatus: 404 }, 1);
    expect(await r.poster.verify()).toBe(false);
    expect(problemNow(r)).toBe(
      `SLACK_API_URL ${r.slack.url} answers 404 for auth.test: it must be Slack's Web API base, https://slack.com/api/, or a proxy to it`,
    );
    r.clock.advance(MINUTE);
    await r.poster.drain(); // checked again a minute on, with the alert channel
    expect(r.slack.callsTo("auth.test")).toHaveLength(2);
    expect(problemNow(r)).toBeNull();
  });

  it("is checked while the bot is not in the alert channel, its look-up due each minute", async () => {
    const r = await slackRig();
    r.slack.setChannel(CHANNEL, { is_private: false, is_member: false });
    expect(await r.poster.verify()).toBe(true);
    expect(problemNow(r)).toMatch(/invite the bot/);
    r.slack.failNext("auth.test", { error: "token_revoked" }, 20);
    r.slack.failNext("conversations.info", { error: "token_revoked" }, 20);
    for (let i = 0; i < 10; i++) {
      r.clock.advance(MINUTE);
      await r.poster.drain();
    }
    expect(r.slack.callsTo("auth.test").length).toBeGreaterThan(1);
    expect(problemNow(r)).toBe(REVOKED); // not "invite the bot", which cannot help now
    const told = r.logs.lines().filter((l) => Number(l.level) >= 40);
    expect(told.filter((l) => String(l.msg).includes("token_revoked"))).toHaveLength(1);
    expect(told.at(-1)?.msg).toBe(
      `Slack refused the bot token (token_revoked): ${REVOKED}. Messages stay queued.`,
    );
  });

  it("a refusal a message met ends once Slack answers a call again, though that message is gone", async () => {
    const { r, quiet } = await started();
    r.slack.failNext("conversations.open", { error: "account_inactive" }, 1);
    askSomeone(r);
    await r.poster.drain();
    expect(problemNow(r)).toMatch(/uninstalled or its token revoked/);
    // Back; the question's retry is refused for itself (the person has left): nothing waits.
    r.slack.failNext("conversations.open", { error: "user_not_found" }, 1);
    await quiet(MINUTE + 1_000);
    expect(r.stores.outbox.health().oldestPendingAt).toBeNull();
    expect(problemNow(r)).toBeNull(); // Slack answered a call: the token works
  });

  it("says how long a rate limit holds the check back", async () => {
    const { r, quiet } = await started();
    r.slack.failNext("auth.test", { status: 429, retryAfter: 120 }, 1);
    await quiet(TOKEN_CHECK_MS);
    const line = r.logs.lines().find((l) => String(l.msg).startsWith("Slack rate-limited"));
    expect(line?.msg).toBe(
      "Slack rate-limited auth.test for 120 s, for the whole workspace. Messages stay queued.",
    );
  });

  it("looks at the alert channel again once the token works: the bot left it, or was never in it", async () => {
    for (const memberAtStart of [false, true]) {
      const { r, quiet } = await started();
      if (!memberAtStart) r.slack.setChannel(CHANNEL, { is_private: false, is_member: false });
      if (!memberAtStart) {
        r.clock.advance(MINUTE);
        await r.poster.verify();
        expect(problemNow(r)).toMatch(/invite the bot/);
      }
      // Uninstalled: every call is refused, the check's and the channel's look-up.
      r.slack.failNext("auth.test", { error: "account_inactive" }, 1);
      r.slack.failNext("conversations.info", { error: "account_inactive" }, 1);
      await quiet(TOKEN_CHECK_MS);
      expect(problemNow(r)).toMatch(/uninstalled or its token revoked/);
      // Reinstalled under the same token: the app is in no channel now.
      r.slack.setChannel(CHANNEL, { is_private: false, is_member: false });
      for (let i = 0; i < 15; i++) await quiet(MINUTE);
      expect(problemNow(r)).toMatch(/invite the bot/);
    }
  });
});
