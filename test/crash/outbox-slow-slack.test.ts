import { join } from "node:path";
import { expect, it } from "vitest";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";
import { CHANNEL, fakeSlack, startChild, waiting } from "./outbox-children.js";

it("a post Slack is still storing when the bot is killed is not posted again on restart", async () => {
  const slack = await fakeSlack();
  const path = join(tempDir(), "outbox.db");
  const db = openStore(path);
  repositories(db).outbox.enqueue(
    {
      key: "notice:1",
      kind: "notice",
      method: "chat.postMessage",
      to: { channel: CHANNEL },
      payload: { text: "the API key expires in 5 days" },
      priority: 0,
    },
    Date.now(),
  );
  db.close();
  // Slack takes 3 s to store this post (and stores it whatever happens to the caller).
  slack.failNext("chat.postMessage", { delayMs: 3_000 });

  const { child: first } = startChild(path, slack);
  await slack.waitForCalls("chat.postMessage", 1, 10_000);
  const exited = new Promise((resolve) => first.once("exit", resolve));
  first.kill("SIGKILL");
  await exited;
  startChild(path, slack); // the container restarts it
  await until(() => waiting(path) === 0, "the outbox to empty", 45_000);
  await slack.idle(10_000);
  expect(slack.messages(CHANNEL).filter((m) => m.text.includes("API key expires"))).toHaveLength(1);
}, 90_000);
