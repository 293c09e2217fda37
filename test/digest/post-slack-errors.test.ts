/**
 * `digest --post` from a shell while Slack (or a proxy on the way) answers its posts with errors:
 * Slack is reached, so the command says what /healthz says of such answers, not that this
 * machine does not reach Slack, and leaves the digest queued for the bot; a SLACK_API_URL that is
 * not the Web API's is the command's own to fix, and leaves nothing queued.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";

const TOKEN = "xoxb-errors";
const CHANNEL = "C0ERRORS1";

const closing: FakeSlack[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
});

describe("digest --post while Slack answers with errors", () => {
  it("an HTTP 503 to every post is said as errors answered, and the digest stays queued", async () => {
    const { env, path } = await simulatedOrg(3000);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const slack = await startFakeSlack({ token: TOKEN });
    closing.push(slack);
    slack.setMembers(CHANNEL, ["U0RESP"]);
    slack.failNext("chat.postMessage", { status: 503 }, 1000);

    const cli = await runCli(["digest", "--post"], {
      ...env,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: slack.url,
      SLACK_ALERT_CHANNEL: CHANNEL,
    });
    expect(cli.code, cli.stderr).toBe(1);
    expect(slack.callsTo("chat.postMessage").length).toBeGreaterThan(0);
    expect(cli.stdout).toBe(
      "not posted yet: every call to Slack failed for 20 s (HTTP 503): Slack, or a proxy on the way, answers with errors: see status.slack.com, and the proxy's log if one is set. It stays queued: the bot posts it once it can.\n",
    );
    const db = new Database(path, { readonly: true, fileMustExist: true });
    const waiting = db.prepare("SELECT kind, state FROM outbox").all();
    db.close();
    expect(waiting).toContainEqual({ kind: "digest", state: "pending" });
  }, 180_000);

  it("a SLACK_API_URL answering 404 for auth.test (the host alone) is said, and nothing is queued", async () => {
    const { env, path } = await simulatedOrg(3000);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const slack = await startFakeSlack({ token: TOKEN });
    closing.push(slack);
    const root = slack.url.replace(/api\/$/, "");
    const cli = await runCli(["digest", "--post"], {
      ...env,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: root,
      SLACK_ALERT_CHANNEL: CHANNEL,
    });
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toBe(
      `not posted: SLACK_API_URL ${root} answers 404 for auth.test: it must be Slack's Web API base, https://slack.com/api/, or a proxy to it. Nothing is left queued: run digest --post again once that is done.\n`,
    );
    const db = new Database(path, { readonly: true, fileMustExist: true });
    const waiting = db.prepare("SELECT kind FROM outbox").all();
    db.close();
    expect(waiting).toEqual([]);
  }, 60_000);
});
