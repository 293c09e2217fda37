/**
 * Outside text (names, titles, tools, resources) with Slack's mentions, links and markup, through
 * each builder that puts it in a message: it reaches Slack escaped, pinging and linking nobody.
 */
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest/build.js";
import { askMessage } from "../../src/slack/blocks/ask.js";
import { growthReply } from "../../src/slack/blocks/growth-reply.js";
import { anAlert, mcpEvent } from "../detect/fixtures.js";
import { digestData, T } from "../digest/fixtures.js";

const HOSTILE = "<!channel> *x* <https://evil.example|Jira>";

/** Whether a message, text and blocks, carries a live mention or link of the hostile text. */
function live(message: unknown): boolean {
  const json = JSON.stringify(message);
  return json.includes("<!channel>") || json.includes("<https://evil");
}

describe("outside text in messages", () => {
  it("the digest's open alerts and API-token accounts", () => {
    const message = buildDigest(
      digestData({
        openAlerts: [
          { id: 1, title: HOSTILE, severity: "high", createdAt: T, link: "https://slack.com/x" },
        ],
        // One name twice: the e-mails are shown beside it.
        apiToken: {
          calls: 2,
          accounts: [
            { name: HOSTILE, email: HOSTILE },
            { name: HOSTILE, email: "svc@example.com" },
          ],
        },
      }),
      { kind: "daily", late: false },
    );
    expect(JSON.stringify(message)).toContain("&lt;!channel&gt;");
    expect(live(message)).toBe(false);
  });

  it("the calls that joined a growing alert, in its thread", () => {
    const alert = anAlert({ eventCount: 2 });
    const event = mcpEvent({ tool: HOSTILE, resource: HOSTILE });
    const reply = growthReply(alert, {
      events: [{ event, title: HOSTILE, actionName: HOSTILE }],
      more: 0,
    });
    expect(reply.text).toContain("&lt;!channel&gt;");
    expect(live(reply)).toBe(false);
  });

  it("the question to the person", () => {
    const event = mcpEvent({ tool: HOSTILE, resource: HOSTILE });
    const message = askMessage(anAlert({ title: HOSTILE }), event, HOSTILE);
    expect(message.text).toContain("&lt;!channel&gt;");
    expect(live(message)).toBe(false);
  });
});
