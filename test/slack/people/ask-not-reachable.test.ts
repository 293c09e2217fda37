/** Someone Slack finds by the alert's e-mail but who cannot be asked: the thread says why. */
import { describe, expect, it } from "vitest";
import { askRig } from "./ask-rig.js";

const asks = { ruleId: "mcp-first-use", severity: "medium" as const };

describe("not asking a Slack account that cannot be taken for the person", () => {
  it.each([
    [
      "a deactivated account (someone who left, while an AI tool still acts as them)",
      { deleted: true },
      "Not asked: bob@example.com belongs to a deactivated Slack account, yet an AI tool still acts as their Atlassian account.",
    ],
    ["a bot", { is_bot: true }, "Not asked: bob@example.com belongs to a Slack bot, not a person."],
    [
      "an unconfirmed address",
      { is_email_confirmed: false },
      "Not asked: bob@example.com belongs to a Slack account whose address Slack says is unconfirmed, so it does not say who this is.",
    ],
    [
      // Whether another company's member is deactivated is that company's to say, not ours.
      "another workspace's member of a shared channel, deactivated or not",
      { team_id: "T0OTHER", deleted: true },
      "Not asked: bob@example.com belongs to a Slack account of another workspace (a member of a shared channel), whose address that workspace sets, so it does not say who this is.",
    ],
  ])("says in the thread it is %s, not that nobody was found", async (_label, flags, note) => {
    const a = await askRig();
    a.slack.addUser({ id: "UBOB", name: "bob", email: "bob@example.com", ...flags });
    const { where } = await a.postAlert({ ...asks, userEmail: "bob@example.com" });
    expect(a.slack.callsTo("conversations.open")).toHaveLength(0);
    expect(a.thread(where.ts)).toEqual([note]);
  });
});
