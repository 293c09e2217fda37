import { describe, expect, it } from "vitest";
import type { SlackFailure } from "../../../src/slack/failure.js";
import { backoffMs, nextStep, pastDeadline } from "../../../src/slack/outbox/next-step.js";

const NOW = 1_000_000;
const post = { attempts: 1, deadline: null, method: "chat.postMessage" as const };
const failure = (kind: SlackFailure["kind"], maybeSent = false): SlackFailure => ({
  kind,
  code: kind,
  maybeSent,
});
const on = (step: "send" | "look-up" = "send", pausedUntil?: number) => ({
  now: NOW,
  step,
  pausedUntil,
});

describe("what a failed attempt means for its message", () => {
  it("fails a refusal for good, whatever its deadline", () => {
    expect(nextStep(failure("rejected"), post, on())).toEqual({
      kind: "fail",
      reason: "rejected",
      refused: true,
    });
  });

  it("keeps a setup problem's message (the poster gives it up at its deadline before trying it again)", () => {
    expect(nextStep(failure("setup"), { ...post, deadline: NOW - 1 }, on())).toEqual({
      kind: "setup",
      uncertain: false,
    });
  });

  it("gives up a transient failure or a rate limit at the deadline", () => {
    for (const kind of ["transient", "rate-limited"] as const)
      expect(nextStep(failure(kind), { ...post, attempts: 4, deadline: NOW }, on())).toEqual({
        kind: "fail",
        reason: `gave up at its deadline after 4 attempts: ${kind}`,
        refused: false,
      });
  });

  it("backs off a transient failure, holds the destination, and looks first if it may have gone", () => {
    expect(nextStep(failure("transient", true), { ...post, attempts: 3 }, on())).toEqual({
      kind: "retry",
      at: NOW + 4_000,
      uncertain: true,
      free: false,
      hold: true,
    });
    // An update leaves nothing to look for.
    expect(
      nextStep(failure("transient", true), { ...post, method: "chat.update" }, on()),
    ).toMatchObject({ uncertain: false });
  });

  it("looks up an attempt that got no answer only after Slack has surely finished with it", () => {
    const unanswered = { ...failure("transient", true), unanswered: true };
    expect(nextStep(unanswered, post, on())).toMatchObject({ at: NOW + 30_000, uncertain: true });
    expect(nextStep(unanswered, { ...post, attempts: 7 }, on())).toMatchObject({
      at: NOW + backoffMs(7),
    });
    // An update sent again changes nothing: no need to wait.
    expect(nextStep(unanswered, { ...post, method: "chat.update" }, on())).toMatchObject({
      at: NOW + 1_000,
      uncertain: false,
    });
  });

  it("waits for the end of a pause; a message a pause held back was not attempted", () => {
    expect(nextStep(failure("rate-limited"), post, on("send", NOW + 30_000))).toEqual({
      kind: "retry",
      at: NOW + 30_000,
      uncertain: false,
      free: false,
      hold: false,
    });
    expect(nextStep(failure("paused"), post, on("send", NOW + 5_000))).toMatchObject({
      at: NOW + 5_000,
      free: true,
    });
  });

  it("looks up again after a failed look-up; past one that found nothing, only the last attempt counts", () => {
    // Whether an earlier attempt reached Slack is still open: looked up first, whatever failed.
    for (const f of [failure("transient", true), failure("setup"), failure("rate-limited")])
      expect(nextStep(f, post, on("look-up"))).toMatchObject({ uncertain: true });
    // The look-up found nothing and Slack answered the post: it is not there.
    for (const f of [failure("setup"), failure("rate-limited"), failure("paused")])
      expect(nextStep(f, post, on("send"))).toMatchObject({ uncertain: false });
  });

  it("gives up a claimed message past its deadline before it is tried, saying what failed last", () => {
    const claimed = {
      attempts: 1,
      deadline: NOW,
      lastError: "missing_scope",
      method: "chat.postMessage" as const,
    };
    expect(pastDeadline(claimed, NOW)).toBe("gave up at its deadline: missing_scope");
    expect(pastDeadline({ ...claimed, attempts: 3 }, NOW + 1)).toBe(
      "gave up at its deadline after 2 attempts: missing_scope",
    );
    expect(pastDeadline({ ...claimed, lastError: null }, NOW)).toBe("gave up at its deadline");
    expect(pastDeadline(claimed, NOW - 1)).toBeUndefined();
    expect(pastDeadline({ ...claimed, deadline: null }, NOW)).toBeUndefined();
    // A view is published however late: a newer one replaces it.
    expect(pastDeadline({ ...claimed, method: "views.publish" as const }, NOW + 1)).toBeUndefined();
  });

  it("backs off 1 s, doubling, never longer than 15 minutes", () => {
    expect([1, 2, 3, 4, 11, 12, 40].map(backoffMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 900_000, 900_000, 900_000,
    ]);
  });
});
