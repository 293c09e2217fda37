/**
 * Past the hour's budget, a tool new to the organization (mcp-new-tool) and an AI tool new to it
 * (mcp-first-use, about the organization) still post alone, as high alerts do: a message of their
 * own, buttons, a thread. A person's own first call past the budget goes into the roll-up.
 */
import { expect, it } from "vitest";
import { CHANNEL, slackRig } from "../setup.js";

it("a new MCP tool and a new AI tool after ten routine medium alerts in the hour post alone", async () => {
  const r = await slackRig();
  for (let i = 0; i < 10; i++)
    r.raise({
      severity: "medium",
      ruleId: "mcp-api-token",
      groupKey: `mcp-api-token|svc-${i}`,
      title: `MCP call with an API token as svc-${i}`,
    });
  await r.poster.drain();
  const tool = r.raise({
    severity: "medium",
    ruleId: "mcp-new-tool",
    groupKey: "mcp-new-tool|acc-x",
    title: "New MCP tool deleteBitbucketRepository (destructive) used by Mallory",
    aboutOrganization: true,
  });
  const app = r.raise({
    severity: "medium",
    ruleId: "mcp-first-use",
    groupKey: "mcp-first-use|acc-y|app:Evil Agent",
    title: "Mallory's first MCP call with Evil Agent, an AI tool new to the organization",
    aboutOrganization: true,
  });
  const person = r.raise({
    severity: "medium",
    ruleId: "mcp-first-use",
    groupKey: "mcp-first-use|acc-z",
    title: "First MCP call by Zoe",
  });
  r.clock.advance(60_000);
  await r.poster.drain();
  const top = r.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);
  const alone = (id: number) => top.some((m) => m.metadata?.event_payload?.alert_id === id);
  expect([alone(tool), alone(app), alone(person)]).toEqual([true, true, false]);
  expect(r.stores.deliveries.get("org-1", person)?.rollupHour).not.toBeNull();
});
