import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest/build.js";
import { queueAlertReply } from "../../src/slack/alerts/alert-thread.js";
import { queueDigest } from "../../src/slack/digest-outbox.js";
import { PRIORITY } from "../../src/slack/outbox/priority.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { digestData } from "../digest/fixtures.js";
import type { Params } from "../fakes/slack-http.js";
import { CHANNEL, problemNow, slackRig } from "./setup.js";
import { queueLongDigest } from "./waiting-digest.js";

type Rig = Awaited<ReturnType<typeof slackRig>>;

/** The log lines at error that carry `advice`. */
const told = (r: Rig, advice: string) =>
  r.logs.lines().filter((l) => Number(l.level) >= 50 && String(l.msg).includes(advice));
const worksAgain = (r: Rig) => r.logs.lines().filter((l) => l.msg === "Slack delivery works again");

const topLevel = (p: Params) => p.channel === CHANNEL && p.thread_ts === undefined;
/** A reminder queued in alert `id`'s thread, five seconds on, which the channel refuses. */
async function refusedReminder(r: Rig, id: number): Promise<void> {
  r.clock.advance(5_000);
  queueAlertReply(
    r.stores,
    { orgId: "org-1", id },
    {
      key: `reminder:org-1:${id}:1`,
      kind: "reminder",
      text: "⏰ still open",
      priority: PRIORITY.urgent,
    },
    r.clock.now(),
  );
  await r.poster.drain();
  expect(problemNow(r)).toContain("takes no thread replies");
}

const inThread = (p: Params) => p.channel === CHANNEL && p.thread_ts !== undefined;

/**
 * An admin lets the alert channel take thread replies only, or no thread replies (channel
 * settings → Posting permissions): Slack refuses one kind of post and takes the other. The kind
 * it still takes getting through says nothing of the kind it refuses: the problem (/healthz 503,
 * said once) stands while those messages wait, and ends only when one of them gets through.
 */
describe("an alert channel that refuses one kind of post only", () => {
  it("threads only: a reply in an earlier alert's thread does not end it while a new alert waits", async () => {
    const r = await slackRig();
    const earlier = r.raise();
    await r.poster.drain();
    let restricted = true;
    const error = "restricted_action_thread_only_channel";
    r.slack.failNext("chat.postMessage", { error }, 100, (p) => restricted && topLevel(p));
    r.clock.advance(5_000);
    r.raise({ severity: "low" });
    await r.poster.drain();
    expect(problemNow(r)).toContain("thread replies only");

    r.clock.advance(5_000);
    queueAlertReply(
      r.stores,
      { orgId: "org-1", id: earlier },
      { key: "note:earlier", text: "Now 3 events" },
      r.clock.now(),
    );
    // Once chat.postMessage's setup pause is over, the reply (more urgent than a low alert) goes
    // first, then the alert is refused again, minute after minute.
    for (let i = 0; i < 3; i++) {
      r.clock.advance(MINUTE);
      await r.poster.drain();
    }
    expect(r.slack.messages(CHANNEL).filter((m) => m.thread_ts !== undefined)).toHaveLength(1);
    expect(r.stores.outbox.health().pendingByKind.alert ?? 0).toBe(1);
    expect(problemNow(r)).toContain("thread replies only");
    expect(told(r, "thread replies only")).toHaveLength(1);
    expect(worksAgain(r)).toEqual([]);

    restricted = false; // the app may post to the channel again
    r.clock.advance(MINUTE);
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined)).toHaveLength(2);
    expect(problemNow(r)).toBeNull();
    expect(worksAgain(r)).toHaveLength(1);
  });

  it("no threads: new alerts posted do not end it while a digest's replies wait", async () => {
    const r = await slackRig();
    let restricted = true;
    const error = "restricted_action_non_threadable_channel";
    r.slack.failNext("chat.postMessage", { error }, 100, (p) => restricted && inThread(p));
    const replies = queueLongDigest(r, CHANNEL);
    await r.poster.drain();
    expect(problemNow(r)).toContain("takes no thread replies");

    for (let i = 0; i < 3; i++) {
      r.clock.advance(MINUTE);
      r.raise(); // posted to the channel, at the top level
      await r.poster.drain();
    }
    expect(r.stores.outbox.health().pendingByKind.alert ?? 0).toBe(0);
    const threaded = () =>
      r.slack.messages(CHANNEL).filter((m) => m.thread_ts !== undefined && !m.files);
    expect(threaded()).toEqual([]);
    expect(problemNow(r)).toContain("takes no thread replies");
    expect(told(r, "takes no thread replies")).toHaveLength(1);
    expect(worksAgain(r)).toEqual([]);

    restricted = false; // threads are allowed again
    for (let i = 0; i < 3; i++) {
      r.clock.advance(MINUTE);
      await r.poster.drain();
    }
    expect(threaded()).toHaveLength(replies);
    expect(problemNow(r)).toBeNull();
    expect(worksAgain(r)).toHaveLength(1);
  });
});

/**
 * A channel that takes no thread replies refuses the only reply waiting: a reminder. The alert is
 * acknowledged meanwhile, so the reminder is dropped as stale; the admin then allows threads
 * again. Nothing of the refused kind is left to get through, and nothing else ends the problem:
 * /healthz stays 503 ("takes no thread replies") for good, though new alerts post and nothing waits.
 */
describe("no threads: the only refused reply dropped", () => {
  it("ends the problem once threads are allowed and nothing of that kind waits", async () => {
    const r = await slackRig();
    const id = r.raise();
    await r.poster.drain();
    let restricted = true;
    const error = "restricted_action_non_threadable_channel";
    r.slack.failNext("chat.postMessage", { error }, 100, (p) => restricted && inThread(p));
    await refusedReminder(r, id);

    // Acknowledged (the button updates the channel message; no reply is queued).
    r.stores.trail.change("org-1", id, "acknowledged", "U0RESP", r.clock.now(), () => true);
    r.clock.advance(MINUTE);
    await r.poster.drain();
    expect(r.stores.outbox.health().pendingByKind.reminder ?? 0).toBe(0); // dropped as stale

    restricted = false; // the admin allows threads again
    for (let i = 0; i < 3; i++) {
      r.clock.advance(MINUTE);
      r.raise({ severity: "low" }); // new alerts post fine
      await r.poster.drain();
    }
    expect(r.stores.outbox.health().oldestPendingAt).toBeNull(); // nothing waits
    expect(problemNow(r)).toBeNull();
  });
});

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

/**
 * A channel that takes no thread replies: a reminder is refused, then acknowledged (dropped as
 * stale). The daily digest comes meanwhile: its message posts at the top level, and its chart,
 * a file shared in its thread, waits to be refused the same way. The chart is a message of the
 * kind the channel refuses, waiting: the problem must not end. It waits in the channel's files
 * lane ("C… files"), which waitingTo() does not look at, so the digest's own post ends it:
 * "Slack delivery works again" is logged (and /healthz would say 200) before the chart is refused
 * and the same error is told a second time.
 */
describe("no threads: a refused chart waiting in the files lane", () => {
  it("is a message of the refused kind: the problem does not end while it waits", async () => {
    const r = await slackRig();
    const id = r.raise();
    await r.poster.drain();
    const error = "restricted_action_non_threadable_channel";
    r.slack.failNext("chat.postMessage", { error }, 100, (p) => p.thread_ts !== undefined);
    r.slack.failNext(
      "files.completeUploadExternal",
      { error },
      100,
      (p) => p.thread_ts !== undefined,
    );

    await refusedReminder(r, id);

    // The alert is acknowledged (its reminder goes stale); the daily digest, with a chart, is due.
    r.stores.trail.change("org-1", id, "acknowledged", "U0RESP", r.clock.now(), () => true);
    const message = buildDigest(digestData(), { kind: "daily", late: false });
    expect(message.replies).toHaveLength(0);
    const now = r.clock.now();
    r.stores.digests.create("org-1", "daily", now - DAY, now, false, message, PNG, now);
    const record = r.stores.digests.byPeriod("org-1", "daily", now);
    if (!record) throw new Error("no digest");
    queueDigest(r.stores.outbox, record, CHANNEL, now);

    r.clock.advance(MINUTE);
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined)).toHaveLength(2);
    expect(r.stores.outbox.health().pendingByKind["digest-chart"] ?? 0).toBe(1); // refused, waits
    const logged = (msg: string) => r.logs.lines().filter((l) => String(l.msg).includes(msg));
    expect(problemNow(r)).toContain("takes no thread replies"); // told again by the chart's refusal
    expect(logged("takes no thread replies").filter((l) => Number(l.level) >= 50)).toHaveLength(1);
    expect(logged("Slack delivery works again")).toEqual([]);
  });
});
