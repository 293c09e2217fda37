import { describe, expect, it } from "vitest";
import { shownLater } from "../../../src/slack/alerts/shown-later.js";
import type { Outcome } from "../../../src/slack/outbox/watch.js";

const NOW = 1_000_000;
const recorded = "Recorded: alert 3 acknowledged";

describe("what a clicker is told when the message cannot show the click at once", () => {
  it("nothing once the message shows it, or a newer update will", () => {
    expect(shownLater(recorded, { kind: "sent" }, NOW)).toBeUndefined();
    expect(shownLater(recorded, { kind: "dropped" }, NOW)).toBeUndefined();
  });

  it("when, for a rate limit; that it is tried again, for another wait", () => {
    const limited: Outcome = {
      kind: "waits",
      until: NOW + 29_600,
      code: "ratelimited",
      rateLimited: true,
    };
    expect(shownLater(recorded, limited, NOW)).toContain("in about 30 s.");
    const down: Outcome = {
      kind: "waits",
      until: NOW + 1_000,
      code: "http_500",
      rateLimited: false,
    };
    expect(shownLater(recorded, down, NOW)).toBe(
      `${recorded}. Slack did not take the update of the alert's message just now (http_500): it is tried again, and the message shows it once Slack takes it.`,
    );
  });

  it("Slack's reason for a refusal, escaped", () => {
    const text = shownLater(
      recorded,
      { kind: "failed", reason: "<!channel>", of: "alert-update" },
      NOW,
    );
    expect(text).toContain("(&lt;!channel&gt;)");
  });

  it("promises the thread's reply only for a refused update: a refused post has no thread", () => {
    const refused = (of: string) =>
      shownLater(recorded, { kind: "failed", reason: "invalid_blocks", of }, NOW);
    expect(refused("alert-update")).toContain("a reply in its thread shows it as it is now");
    expect(refused("alert")).toBe(
      `${recorded}, but Slack would not update its message (invalid_blocks): the message may still show the alert as it was.`,
    );
  });
});
