// A process that delivers the outbox of a database, as the bot does (every kind of message, no
// producers), until it is killed. Run by outbox.test.ts from the built code:
//   node outbox-child.mjs <database> <slack api url> <alert channel> [ahead ms]
// With `ahead`, its clock runs that far ahead, as a process started that much later would see:
// a claim of a killed process is looked up 30 s after it began, and no test waits for it.
import { systemClock } from "../../dist/clock.js";
import { createLogger } from "../../dist/logger.js";
import { Secret } from "../../dist/secret.js";
import { createWebClient } from "../../dist/slack/client.js";
import { createPoster } from "../../dist/slack/delivery.js";
import { SlackPauses } from "../../dist/slack/outbox/pauses.js";
import { openStore } from "../../dist/store/open.js";
import { repositories } from "../../dist/store/repositories.js";

const [path, apiUrl, channel, ahead = "0"] = process.argv.slice(2);
const clock = { ...systemClock, now: () => systemClock.now() + Number(ahead) };
const db = openStore(path);
const stores = repositories(db);
const logger = createLogger({ level: "info", format: "json", fd: 1 });
const pauses = new SlackPauses({ store: stores.pauses, clock, logger });
const client = createWebClient(new Secret("xoxb-outbox-child"), apiUrl, logger, { pauses });
const poster = createPoster({
  stores,
  client,
  pauses,
  clock,
  logger,
  alertChannel: channel,
  producers: [],
});
const stop = new AbortController();
process.on("SIGTERM", () => stop.abort());
await poster.run(stop.signal);
db.close();
