import { describe, expect, it } from "vitest";
import { deliveryProblem } from "../../src/slack/outbox/stalled.js";
import { MINUTE } from "../../src/time-units.js";
import { CHANNEL, slackRig } from "./setup.js";

/**
 * With SLACK_RESPONDERS set, an app trimmed to least privilege may lack channels:read and
 * groups:read, which only the look-up of the alert channel needs: posting to it works, so neither
 * /healthz nor the log may say it cannot be posted to.
 */
describe("the alert channel look-up refused for a scope the posts do not need", () => {
  it("is warned once naming the scopes, without making /healthz 503", async () => {
    const r = await slackRig();
    r.slack.failNext("conversations.info", { error: "missing_scope" });
    expect(await r.poster.verify()).toBe(true);
    expect(deliveryProblem(r.poster.health().lastError, null, r.clock.now())).toBeNull();

    // A post to the alert channel works meanwhile.
    await r.client.chat.postMessage({ channel: CHANNEL, text: "posting works" });
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);

    r.clock.advance(5 * MINUTE);
    await r.poster.drain();
    expect(r.slack.callsTo("conversations.info")).toHaveLength(1);
    const said = r.logs
      .lines()
      .filter((l) => Number(l.level) >= 40)
      .map((l) => String(l.msg));
    expect(said).toEqual([
      "the alert channel could not be looked up (missing_scope): add channels:read and groups:read (manifest.yml) and reinstall",
    ]);
  });
});
