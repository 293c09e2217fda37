/**
 * Questions are answered in turn: one per person at a time, and a few for everyone, so a flood of
 * wide questions cannot hold up the bot. Signed commands through the real Bolt app; a question is
 * held by making Slack slow to say who asks (users.info).
 */
import { describe, expect, it } from "vitest";
import { commandRig } from "./command-rig.js";

type Rig = Awaited<ReturnType<typeof commandRig>>;

/** Slack answers who `user` is `ms` late: their question waits on it. */
const slowLookUp = (c: Rig, user: string, ms: number) =>
  c.slack.failNext("users.info", { delayMs: ms }, 1, (p) => p.user === user);

/** Resolves once the question of `user` is being answered (Slack was asked who they are). */
const answering = (c: Rig, user: string) =>
  c.slack.waitFor(
    () => c.slack.callsTo("users.info").some((call) => call.params.user === user),
    5000,
    `${user}'s question`,
  );

describe("questions answered in turn", () => {
  it("tells a person whose last question is unanswered to wait for it, and answers that one", async () => {
    const c = await commandRig();
    slowLookUp(c, "URESP", 800);
    const first = c.command("since:1d", "URESP");
    await answering(c, "URESP");
    const second = await c.command("tool:createJiraIssue since:7d", "URESP");
    expect(await second.reply()).toBe(
      "Your last question is still being answered (an export arrives by direct message): ask again once it is.",
    );
    expect(await (await first).reply()).toContain("1 MCP call");
    // Answered: their next question is taken.
    expect(await (await c.command("since:1d", "URESP")).reply()).toContain("1 MCP call");
  });

  it("answers a few questions at once for everyone, queues the next, and refuses more", async () => {
    const c = await commandRig([{}], { questionLimits: { running: 1, waiting: 1 } });
    c.slack.addUser({ id: "UBOB", name: "bob", email: "bob@example.com", tz: "UTC" });
    slowLookUp(c, "URESP", 800);
    const first = c.command("since:1d", "URESP");
    await answering(c, "URESP");
    const queued = c.command("user:me since:1d", "UALICE");
    const refused = await c.command("user:me since:1d", "UBOB");
    expect(await refused.reply()).toBe(
      "I am answering many questions right now: ask again in a minute.",
    );
    // Alice's question waits for the responder's: Slack is not even asked who she is yet.
    expect(c.slack.callsTo("users.info").some((call) => call.params.user === "UALICE")).toBe(false);
    expect(await (await first).reply()).toContain("1 MCP call");
    expect(await (await queued).reply()).toContain("1 MCP call");
    expect(await (await c.command("user:me since:1d", "UBOB")).reply()).toContain("0 MCP calls");
  });
});
