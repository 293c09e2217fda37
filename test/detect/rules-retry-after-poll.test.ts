/**
 * The rules meeting a full disk in a quiet organization: the poller stored the calls, the rules
 * could not write their alerts. Once the disk is freed the rules must run again, though no poll
 * stores anything more (the rules otherwise run after a commit). The poller and rules as the bot
 * wires them (createPoller, sliced), the simulator on 127.0.0.1, a real SQLite file.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { DEFAULT_RULES_FILE } from "../../src/detect/rules-file.js";
import { createPoller } from "../../src/pipeline.js";
import { startSimulator } from "../../src/simulator/index.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { HOUR } from "../../src/time-units.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

const ORG = "org-quiet";
const CALLS = 30;

describe("the rules after a full disk is freed, in a quiet organization", () => {
  it("run again at the next poll, and judge every call stored meanwhile", async () => {
    const clock = new VirtualClock();
    // One event in the history, none after but those the test injects.
    const sim = await startSimulator({
      seed: 3,
      orgId: ORG,
      apiKey: "quiet-key",
      start: clock.now() - HOUR,
      intervalMs: 1_000 * HOUR,
      clock,
    });
    const db = openStore(join(tempDir(), "quiet.db"));
    closeAfterTest(async () => {
      await sim.close();
      db.close();
    });
    const config = parseConfig({
      ATLASSIAN_ORG_ID: ORG,
      ATLASSIAN_API_KEY: "quiet-key",
      ATLASSIAN_API_BASE_URL: sim.url,
      SLACK_BOT_TOKEN: "xoxb-quiet",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_ALERT_CHANNEL: "C0QUIET",
      POLL_INTERVAL_SECONDS: "60",
      BACKFILL_DAYS: "1",
      DATABASE_PATH: join(tempDir(), "unused.db"),
    });
    const stores = repositories(db);
    const logs = capturedLogger();
    let fillDisk = false;
    let polls = 0;
    let stop = new AbortController();
    const { poller, engine } = createPoller(
      config,
      { db, stores, clock, logger: logs.logger, rules: DEFAULT_RULES_FILE },
      {
        // Told after a commit, before the rules run on it: the disk fills just then.
        onStored: () => {
          if (fillDisk) db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true })}`);
        },
        onPoll: () => {
          if (--polls === 0) stop.abort();
        },
      },
      { sliced: true },
    );
    const poll = async (times: number) => {
      polls = times;
      stop = new AbortController();
      await poller.run(stop.signal);
    };
    const judged = () => stores.alerts.lastEvaluated(ORG) === stores.events.maxSeq(ORG);
    await poll(1); // the backfill

    fillDisk = true;
    sim.injectEvents(
      Array.from({ length: CALLS }, (_, i) => ({
        id: `d${i}`,
        attributes: {
          time: new Date(clock.now()).toISOString(),
          action: sim.org.mcpActionKey,
          actor: { id: `acc-${i}`, name: `Person ${i}`, email: `p${i}@example.com` },
          context: [
            { id: "deleteJiraIssue", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } },
          ],
          container: [
            { id: "s", type: "sites", attributes: { siteHostName: "https://acme.atlassian.net" } },
          ],
        },
      })),
    );
    clock.advance(60_000);
    await poll(1);
    await until(() => engine.failure() !== null, "the rules to meet the full disk");
    expect(engine.failure()?.kind).toBe("database");
    expect(judged()).toBe(false);

    fillDisk = false;
    db.pragma("max_page_count = 1073741823"); // the operator frees the disk
    await poll(2); // nothing new in the audit log
    await until(() => engine.failure() === null && judged(), "the rules to run again", 3_000);
    const alerted = db
      .prepare("SELECT count(DISTINCT user_id) AS n FROM alerts WHERE rule_id = 'mcp-destructive'")
      .get() as { n: number };
    expect(alerted.n).toBe(CALLS);
  });
});
