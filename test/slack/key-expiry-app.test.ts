/**
 * ATLASSIAN_API_KEY_EXPIRES already past, in the assembled app polling the Atlassian simulator and
 * posting to the fake Slack: what the channel is told depends on whether the key still works.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { DAY } from "../../src/time-units.js";
import { startOrgRouter } from "../fakes/org-router.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { healthz } from "../helpers/health.js";
import { capturedLogger } from "../helpers/logs.js";
import { nowSeconds, postSigned } from "../helpers/slack-sign.js";
import { tempDir } from "../helpers/tmp.js";
import { readUntil, until } from "../helpers/until.js";

const CHANNEL = "C0KEYS";
/** How the notices that need a responder now mention SLACK_RESPONDERS. */
const MENTION = "<@U0LEAD>";

/** What both rigs give the app beside the organizations: Slack, the port, a poll every 5 s. */
function appEnv(slackUrl: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: "xoxb-keys",
    SLACK_SIGNING_SECRET: "secret",
    SLACK_ALERT_CHANNEL: CHANNEL,
    SLACK_RESPONDERS: "U0LEAD",
    SLACK_API_URL: slackUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    POLL_INTERVAL_SECONDS: "5",
    BACKFILL_DAYS: "1",
  };
}

interface Health {
  poller: { lastSuccessfulPoll: string | null; apiKeyRejected: boolean };
}

let sim: Simulator | undefined;
let slack: FakeSlack | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await sim?.close();
  await slack?.close();
  app = undefined;
  sim = undefined;
  slack = undefined;
});

/**
 * The app with a key whose configured expiry day ended three days ago, sending `key`; `before`
 * readies the simulator before the first poll.
 */
async function started(key: string, before?: (s: Simulator) => void) {
  const now = Date.now();
  sim = await startSimulator({
    seed: 3,
    orgId: "org-keys",
    apiKey: "renewed-key",
    start: now - 2 * 3_600_000,
    intervalMs: 60_000,
  });
  before?.(sim);
  slack = await startFakeSlack();
  slack.setMembers(CHANNEL, ["U0LEAD"]);
  slack.addUser({ id: "U0LEAD", email: "lead@example.com" });
  const day = new Date(now - 3 * DAY).toISOString().slice(0, 10);
  const logs = capturedLogger("info");
  app = await startApp({
    config: parseConfig({
      ATLASSIAN_ORG_ID: "org-keys",
      ATLASSIAN_API_KEY: key,
      ATLASSIAN_API_KEY_EXPIRES: day,
      ATLASSIAN_API_BASE_URL: sim.url,
      ...appEnv(slack.url),
      DATABASE_PATH: join(tempDir(), "keys.db"),
    }),
    logger: logs.logger,
    clock: systemClock,
  });
  const texts = () => slack?.messages(CHANNEL).map((m) => m.text) ?? [];
  return { day, logs, texts };
}

it("a past date for a key that still reads the log: says once, mentioning no one, that the date looks stale", async () => {
  const { day, logs, texts } = await started("renewed-key");
  expect(logs.text()).toContain(
    `ATLASSIAN_API_KEY_EXPIRES gives ${day} for the key, a date already past: set it to the expiry date of the key in use`,
  );
  await until(() => texts().some((t) => t.includes("looks stale")), "the stale-date note", 20_000);
  // Two more polls end well: the note is not repeated and no expiry is announced.
  const port = app?.port ?? 0;
  const pollAt = async () => (await healthz<Health>(port)).body.poller.lastSuccessfulPoll;
  const first = await pollAt();
  const second = await readUntil(pollAt, (at) => at !== first, "a later poll", 20_000);
  await readUntil(pollAt, (at) => at !== second, "another poll", 20_000);
  const said = texts().filter((t) => t.includes("API key") || t.includes("API_KEY"));
  expect(said).toEqual([
    `⚠️ ATLASSIAN_API_KEY_EXPIRES looks stale: it gives ${day} for the Atlassian organization API key, which still reads the audit log after that date. Set it to the key's expiry date (Atlassian Administration → Settings → API keys) and restart mcp-activity: until then no warning comes before the key expires.`,
  ]);
  expect(texts().join("\n")).not.toContain(MENTION);
}, 60_000);

it("a past date for a key the log refuses: says it expired, mentioning the responders", async () => {
  const { day, texts } = await started("expired-key");
  await until(() => texts().some((t) => t.includes("expired on")), "the expiry notice", 20_000);
  expect(texts().filter((t) => t.includes("API key"))).toEqual([
    expect.stringMatching(
      new RegExp(
        `^🔴 ${MENTION} The Atlassian organization API key expired on ${day}: the audit log can no longer be read`,
      ),
    ),
  ]);
  expect(texts().join("\n")).not.toContain("looks stale");
}, 60_000);

it("a past date and a poll that fails for another reason (rate limited): no expiry is said, the next poll decides", async () => {
  const { texts } = await started("renewed-key", (s) =>
    s.injectFault({ kind: "rate-limit", retryAfterSeconds: 0 }, { times: 5 }),
  );
  await until(() => texts().some((t) => t.includes("looks stale")), "the stale-date note", 30_000);
  expect(texts().filter((t) => t.includes("expired"))).toEqual([]);
  expect(texts().join("\n")).not.toContain(MENTION);
}, 60_000);

/** The API key line of the App Home `U0LEAD` opens now (once: a Home reopened soon is not rebuilt). */
async function homeKeyLine(port: number): Promise<string> {
  const opened = JSON.stringify({
    token: "t",
    team_id: "T0KEYS",
    api_app_id: "A0APP",
    type: "event_callback",
    event_id: "Ev1",
    event_time: nowSeconds(),
    event: { type: "app_home_opened", user: "U0LEAD", channel: "D0HOME", tab: "home" },
  });
  await postSigned(`http://127.0.0.1:${port}/slack/events`, opened, "secret", {
    contentType: "application/json",
  });
  await until(() => (slack?.callsTo("views.publish").length ?? 0) > 0, "the App Home");
  const home = JSON.stringify(slack?.callsTo("views.publish")[0]);
  return home.match(/\*API key\*: [^"]*/)?.[0] ?? "";
}

it("a key refused after its date was said to look stale: the channel is told once, and the App Home says it", async () => {
  const { day, texts } = await started("renewed-key");
  await until(() => texts().some((t) => t.includes("looks stale")), "the stale-date note", 30_000);
  const port = app?.port ?? 0;
  // The key stops working after all (it expired at the end of that day in another time zone).
  sim?.setApiKey("some-other-key");
  await readUntil(
    async () => (await healthz<Health>(port)).body.poller.apiKeyRejected,
    (rejected) => rejected,
    "the key refused",
    30_000,
  );
  await until(() => texts().some((t) => t.includes("is refused")), "the refusal notice", 30_000);
  expect(texts().filter((t) => t.includes("API key") || t.includes("API_KEY"))).toEqual([
    expect.stringContaining("looks stale"),
    expect.stringMatching(
      new RegExp(
        `^🔴 ${MENTION} The Atlassian organization API key is refused: the audit log can no longer be read, so nothing new is watched\\. It read the log after ${day}, the date ATLASSIAN_API_KEY_EXPIRES gives`,
      ),
    ),
  ]);
  expect(await homeKeyLine(port)).toBe(
    `*API key*: 🔴 refused after its expiry date (${day}): it has expired or been revoked, so the audit log can no longer be read.`,
  );
}, 60_000);

/**
 * The app with one key for two organizations whose configured expiry day ended three days ago;
 * `before` readies the simulators before the first polls.
 */
async function twoOrganizations(before?: (a: Simulator, b: Simulator) => void) {
  const now = Date.now();
  const sims = await Promise.all(
    (["org-a", "org-b"] as const).map((orgId, i) =>
      startSimulator({
        seed: 5 + i,
        orgId,
        apiKey: "shared-key",
        start: now - 2 * 3_600_000,
        intervalMs: 60_000,
      }),
    ),
  );
  closeAfterTest(() => Promise.all(sims.map((s) => s.close())));
  const [a, b] = sims as [Simulator, Simulator];
  before?.(a, b);
  const router = await startOrgRouter(sims);
  closeAfterTest(() => router.close());
  slack = await startFakeSlack();
  slack.setMembers(CHANNEL, ["U0LEAD"]);
  const day = new Date(now - 3 * DAY).toISOString().slice(0, 10);
  const path = join(tempDir(), "keys.db");
  app = await startApp({
    config: parseConfig({
      ATLASSIAN_ORG_ID: "org-a,org-b",
      ATLASSIAN_API_KEY: "shared-key",
      ATLASSIAN_API_KEY_EXPIRES: day,
      ATLASSIAN_API_BASE_URL: router.url,
      ...appEnv(slack.url),
      DATABASE_PATH: path,
    }),
    logger: capturedLogger("info").logger,
    clock: systemClock,
  });
  const texts = () => slack?.messages(CHANNEL).map((m) => m.text) ?? [];
  await until(() => texts().some((t) => t.includes("looks stale")), "the stale-date note", 30_000);
  return { a, day, path, port: app.port, texts };
}

it("one key for two organizations, past its date: refused by one while the other reads with it, it is not said to be refused", async () => {
  const { a, day, path, port, texts } = await twoOrganizations();
  // The first organization refuses the key now; the second still reads its log with it.
  a.setApiKey("another-key");
  const organizations = async () =>
    (await healthz<{ organizations: Health[] }>(port)).body.organizations;
  await readUntil(
    organizations,
    (orgs) => orgs[0]?.poller.apiKeyRejected === true,
    "org-a refusing the key",
    30_000,
  );
  const read = (await organizations())[1]?.poller.lastSuccessfulPoll;
  await readUntil(
    organizations,
    (orgs) => orgs[1]?.poller.lastSuccessfulPoll !== read,
    "org-b read again",
    30_000,
  );
  // What the polls decided is recorded with its message queued, as each poll ends, by the key's
  // fingerprint (never the key).
  const db = new Database(path, { readonly: true });
  const notices = db.prepare("SELECT DISTINCT notice FROM notices ORDER BY notice").pluck().all();
  db.close();
  expect(notices).toEqual([
    expect.stringMatching(new RegExp(`^api-key-expiry-stale:[0-9a-f]{16}:${day}$`)),
  ]);
  expect(texts().filter((t) => t.includes("API key") || t.includes("API_KEY"))).toEqual([
    expect.stringContaining("looks stale"),
  ]);
}, 60_000);

it("one key for two organizations, past its date: a 401 to one before the other's first poll ends says nothing of it expiring", async () => {
  const { texts } = await twoOrganizations((a, b) => {
    // org-a refuses the key on its stream once, before org-b's first page (a little slow) is read.
    a.injectFault({ kind: "status", status: 401 }, { times: 1 });
    b.injectFault({ kind: "delay", ms: 1500 }, { times: 1 });
  });
  expect(texts().filter((t) => t.includes("expired on") || t.includes("is refused"))).toEqual([]);
}, 60_000);
