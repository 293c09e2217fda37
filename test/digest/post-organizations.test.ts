import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { startFakeSlack } from "../fakes/slack-api.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const ENV = {
  ATLASSIAN_ORG_ID: "org-alpha,org-beta",
  ATLASSIAN_API_KEY: "key-a,key-b",
  SLACK_BOT_TOKEN: "xoxb-test",
  SLACK_SIGNING_SECRET: "secret",
  SLACK_ALERT_CHANNEL: "C0123ABCD",
};

/** A database holding an event of each organization, and the names the running bot kept. */
function database(names: Readonly<Record<string, string>> = {}): string {
  const path = join(tempDir(), "orgs.db");
  const db = openStore(path);
  const stores = repositories(db);
  const now = Date.now();
  for (const orgId of ["org-alpha", "org-beta"]) {
    const at = now - 3_600_000;
    const event = normalizedEvent({ orgId, time: at, processedAt: at });
    stores.events.insertMany([{ ...event, id: `ev-${orgId}` }], now);
    const name = names[orgId];
    if (name) stores.orgNames.record(orgId, name, now);
  }
  db.close();
  return path;
}

/** The digest `digest --post --org org-beta` posts. */
async function posted(path: string): Promise<string | undefined> {
  const slack = await startFakeSlack();
  try {
    const result = await runCli(["digest", "--post", "--org", "org-beta"], {
      ...ENV,
      SLACK_API_URL: slack.url,
      DATABASE_PATH: path,
    });
    expect(result.code, result.stderr).toBe(0);
    return slack.messages("C0123ABCD")[0]?.text;
  } finally {
    await slack.close();
  }
}

describe("digest --post with several organizations", () => {
  it("says whose digest it posts to the shared channel: its id while no name was ever given", async () => {
    expect(await posted(database())).toMatch(/^Daily MCP activity digest · org-beta/);
  }, 60_000);

  it("names the organization by the name the running bot kept, in the preview too", async () => {
    const path = database({ "org-alpha": "Alpha", "org-beta": "Beta" });
    expect(await posted(path)).toMatch(/^Daily MCP activity digest · Beta/);
    const preview = await runCli(["digest", "--dry-run", "--org", "org-beta"], {
      ...ENV,
      DATABASE_PATH: path,
    });
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain("Daily MCP activity digest · Beta");
  }, 60_000);
});
