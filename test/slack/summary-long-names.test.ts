/**
 * A backlog's summary and the hour's roll-up reach the channel however long the names and e-mails
 * of the people they count: ten accounts sharing one long display name, each with a long e-mail
 * shown beside it, would pass Slack's 2,000 characters for a field, which Slack refuses for good.
 */
import { describe, expect, it } from "vitest";
import { CHANNEL, slackRig } from "./setup.js";

const NAME = `Alex Kim ${"x".repeat(110)}`; // plain ASCII: nothing for escaping to lengthen
const email = (i: number) => `alex.kim.${i}.${"y".repeat(100)}@example.com`;

type Rig = Awaited<ReturnType<typeof slackRig>>;

const failed = (r: Rig) =>
  r.db.prepare("SELECT kind, failure FROM outbox WHERE state = 'failed'").all();

const byPerson = (m: { blocks?: unknown[] }) =>
  ((m.blocks ?? []) as Array<{ fields?: Array<{ text: string }> }>).flatMap(
    (b) => b.fields ?? [],
  )[1]?.text ?? "";

describe("a By person field of ten long names and e-mails", () => {
  it("the backlog's summary reaches the channel, saying how many people it leaves out", async () => {
    const r = await slackRig();
    for (let i = 0; i < 70; i++) {
      const k = i % 12;
      r.raise({
        severity: "medium",
        ruleId: "mcp-first-use",
        userId: `acc-${k}`,
        userName: NAME,
        userEmail: email(k),
      });
    }
    await r.poster.drain();
    expect(failed(r)).toEqual([]);
    const summaries = r.slack
      .messages(CHANNEL)
      .filter((m) => m.metadata?.event_type === "mcp_alert_summary");
    expect(summaries).toHaveLength(1);
    const field = byPerson(summaries[0] ?? {});
    expect(field.length).toBeLessThanOrEqual(2000);
    const shown = field.split("\n").filter((l) => l.startsWith("• ")).length;
    expect(shown).toBeGreaterThan(0);
    expect(field).toMatch(new RegExp(`\\n…and ${12 - shown} more$`));
  });

  it("the hour's roll-up reaches the channel and takes the hour's later alerts", async () => {
    const r = await slackRig({ maxPerHour: 1 });
    const raise = (i: number) =>
      r.raise({
        severity: "medium",
        ruleId: "mcp-first-use",
        userId: `acc-${i}`,
        userName: NAME,
        userEmail: email(i),
      });
    for (let i = 0; i < 12; i++) raise(i);
    await r.poster.drain();
    for (let i = 12; i < 15; i++) raise(i);
    r.clock.advance(60_000);
    await r.poster.drain();
    expect(failed(r)).toEqual([]);
    const rollups = r.slack
      .messages(CHANNEL)
      .filter((m) => m.metadata?.event_type === "mcp_alert_rollup");
    expect(rollups).toHaveLength(1);
    expect(rollups[0]?.text).toMatch(/^14 more alerts this hour/);
  });
});
