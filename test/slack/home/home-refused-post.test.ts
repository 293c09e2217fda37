/**
 * An alert Slack refused to post for good has no message of its own, as one counted in a roll-up:
 * the App Home lists it before the posted alerts of its severity, and never sends its buttons to
 * the alert channel.
 */
import { describe, expect, it } from "vitest";
import { CHANNEL } from "../setup.js";
import { homeRig, RESPONDER } from "./home-rig.js";

describe("an alert whose post Slack refused for good, then 20 posted", () => {
  it("is listed in the Home with its buttons, and counted as having no message", async () => {
    const r = await homeRig();
    r.slack.failNext("chat.postMessage", { error: "some_refusal_for_good" }, 1);
    const refused = r.raise({ title: "deleteJiraIssue by Mallory" });
    await r.poster.drain().catch(() => undefined);
    await r.slack.idle();
    const after = Array.from({ length: 20 }, () => r.raise());
    await r.poster.drain();
    const channel = JSON.stringify(r.slack.messages(CHANNEL).map((m) => m.blocks ?? []));
    expect(channel).not.toContain(`"value":"${refused}.`);
    expect(channel).toContain(`"value":"${after[0]}.`);
    expect(r.stores.outbox.byRef(`alert:org-1:${refused}`, "alert")?.state).toBe("failed");

    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    const first = home.text.match(
      /"action_id":"alert_acknowledge","text":{[^}]*},"value":"(\d+)\./,
    );
    expect(Number(first?.[1])).toBe(refused);
    expect(home.text).toContain(
      "…and 1 more open alert: 1 in the alert channel, each with its buttons.",
    );
  });
});
