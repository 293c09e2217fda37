import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { startFakeSlack } from "../fakes/slack-api.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

describe("digest --post with several organizations", () => {
  it("says whose digest it posts to the shared channel", async () => {
    const path = join(tempDir(), "orgs.db");
    const db = openStore(path);
    const stores = repositories(db);
    const now = Date.now();
    for (const orgId of ["org-alpha", "org-beta"]) {
      const at = now - 3_600_000;
      const event = normalizedEvent({ orgId, time: at, processedAt: at });
      stores.events.insertMany([{ ...event, id: `ev-${orgId}` }], now);
    }
    db.close();
    const slack = await startFakeSlack();
    try {
      const result = await runCli(["digest", "--post", "--org", "org-beta"], {
        ATLASSIAN_ORG_ID: "org-alpha,org-beta",
        ATLASSIAN_API_KEY: "key-a,key-b",
        SLACK_BOT_TOKEN: "xoxb-test",
        SLACK_SIGNING_SECRET: "secret",
        SLACK_ALERT_CHANNEL: "C0123ABCD",
        SLACK_API_URL: slack.url,
        DATABASE_PATH: path,
      });
      expect(result.code, result.stderr).toBe(0);
      const [digest] = slack.messages("C0123ABCD");
      expect(digest?.text).toMatch(/^Daily MCP activity digest · org-beta/);
    } finally {
      await slack.close();
    }
  }, 60_000);
});
