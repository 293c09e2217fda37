import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open.js";
import { runCli } from "../helpers/cli.js";
import { closedPort } from "../helpers/ports.js";
import { simulatedOrg } from "../helpers/simulated.js";

describe("digest --post with Slack out of reach", () => {
  it("says why after trying for 20 s, exits 1, and leaves the digest queued for the bot", async () => {
    const { env, path } = await simulatedOrg(3000);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const result = await runCli(["digest", "--post"], {
      ...env,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_ALERT_CHANNEL: "C0123ABCD",
      SLACK_API_URL: `http://127.0.0.1:${await closedPort()}/api/`,
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      /^not posted yet: Slack answered none of its calls for 20 s \(.*ECONNREFUSED.*\): check that this machine reaches Slack \(SLACK_API_URL, a proxy, the firewall\)\. It stays queued: the bot posts it once it can\.\n$/,
    );
    const db = openStore(path, { existing: true });
    const waiting = db.prepare("SELECT kind, state FROM outbox").all();
    db.close();
    expect(waiting).toContainEqual({ kind: "digest", state: "pending" });
  }, 180_000);
});
