import { describe, expect, it } from "vitest";
import { MINUTE } from "../../src/time-units.js";
import type { Params } from "../fakes/slack-http.js";
import { CHANNEL, slackRig } from "./setup.js";
import { queueLongDigest } from "./waiting-digest.js";

type Rig = Awaited<ReturnType<typeof slackRig>>;

const waiting = (r: Rig) =>
  Object.values(r.stores.outbox.health().pendingByKind).reduce((sum, n) => sum + n, 0);
/** Alerts not shown yet: waiting in the outbox, or held back from it. */
const unshown = (r: Rig) => waiting(r) + r.stores.deliveries.backlog("org-1");

/** Fails `times` posts matching `when` with `error`, then drains for a few minutes. */
async function refusedThenLifted(r: Rig, error: string, when: (p: Params) => boolean) {
  r.slack.failNext("chat.postMessage", { error }, 4, when);
  await r.poster.drain();
  r.clock.advance(MINUTE);
  await r.poster.drain();
  // While the restriction stands: a setup problem with what to do (/healthz 503), as for
  // is_archived, rather than nothing to see but a "last permanent failure".
  const during = r.poster.health().lastError;
  for (let i = 0; i < 5; i++) {
    r.clock.advance(MINUTE);
    await r.poster.drain();
  }
  return during;
}

/**
 * A workspace admin restricts who may post in the alert channel (channel settings → Posting
 * permissions: admins only, threads only, no threads; or an Enterprise policy). That is the
 * operator's to fix, like not_in_channel or is_archived: the messages must wait for it, not be
 * failed for good one by one.
 */
describe("the alert channel's posting permissions excluding the bot", () => {
  it.each([
    ["restricted_action", "Posting permissions"],
    ["restricted_action_read_only_channel", "Posting permissions"],
    ["restricted_action_thread_only_channel", "thread replies only"],
    // chat.postMessage's "make sure your app is a member of the conversation".
    ["no_permission", "/invite @mcp-activity"],
  ])(
    "on %s keeps the alerts queued, says what to do, and posts them once lifted",
    async (error, advice) => {
      const r = await slackRig();
      r.raise();
      r.raise();
      const during = await refusedThenLifted(r, error, (p) => p.channel === CHANNEL);
      expect(during?.code).toBe(error);
      expect(during?.advice).toContain(advice);
      expect(r.slack.messages(CHANNEL)).toHaveLength(2);
      expect(unshown(r)).toBe(0);
      expect(r.stores.outbox.health().lastFailure).toBeNull();
    },
  );

  it("on restricted_action_non_threadable_channel keeps a digest's continuation queued, and posts it once lifted", async () => {
    const r = await slackRig();
    const replies = queueLongDigest(r, CHANNEL);
    const error = "restricted_action_non_threadable_channel";
    const inThread = (p: Params) => p.channel === CHANNEL && p.thread_ts !== undefined;
    const during = await refusedThenLifted(r, error, inThread);
    expect(during?.code).toBe(error);
    expect(during?.advice).toContain("takes no thread replies");
    const posted = r.slack.messages(CHANNEL);
    expect(posted.filter((m) => m.thread_ts !== undefined && !m.files)).toHaveLength(replies);
    expect(waiting(r)).toBe(0);
    expect(r.stores.outbox.health().lastFailure).toBeNull();
  });
});
