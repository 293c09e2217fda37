/**
 * One app watching several simulated organizations (Alpha, Beta, Gamma unless told) behind one
 * API base URL, in Socket Mode (Slack's WebSocket end on 127.0.0.1, recording the app's
 * acknowledgements), posting to the fake Slack Web API.
 */
import { join } from "node:path";
import { type RunningApp, startApp } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { type OrgRouter, startOrgRouter } from "../fakes/org-router.js";
import { type FakeMessage, type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { type FakeSocket, type SocketAck, startFakeSocket } from "../fakes/slack-socket.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

export const CHANNEL = "C0MULTI01";
export const RESPONDER = "U0RESP001";

/** The simulated organizations and Slack, kept while the bot restarts on one database. */
export interface World {
  readonly sims: Simulator[];
  readonly slack: FakeSlack;
  readonly socket: FakeSocket;
  /** The base URL of the organizations API, every organization behind it. */
  readonly apiUrl: string;
  readonly databasePath: string;
  /** Each organization's API key, by its id. */
  readonly keys: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

/** One start of the bot. */
export interface Bot {
  readonly app: RunningApp;
  readonly logs: ReturnType<typeof capturedLogger>;
  /** Sends an envelope over the socket; resolves with the app's acknowledgement. */
  send(type: string, payload: Record<string, unknown>): Promise<SocketAck>;
}

export interface Rig extends World, Bot {
  /** The alerts posted about calls by `name`. */
  alertsOf(name: string): FakeMessage[];
}

export interface WorldOptions {
  readonly ids?: readonly string[];
  readonly names?: readonly string[];
}

export interface BotOptions {
  /** Variables over the rig's own. */
  readonly env?: Record<string, string>;
  /** The organizations watched (ATLASSIAN_ORG_ID): every one of the world unless told. */
  readonly ids?: readonly string[];
  /** How many backfills end before the bot is ready (one per organization whose key works). */
  readonly backfills?: number;
}

export type RigOptions = WorldOptions & Omit<BotOptions, "ids">;

let counter = 0;

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const ids = options.ids ?? ["org-alpha", "org-beta", "org-gamma"];
  const names = options.names ?? ["Alpha", "Beta", "Gamma"];
  const common = { start: Date.now() - 2 * 3_600_000, intervalMs: 60_000 };
  const sims: Simulator[] = [];
  for (const [i, name] of names.entries())
    sims.push(
      await startSimulator({
        ...common,
        seed: 3 + i,
        orgId: ids[i] as string,
        orgName: name,
        apiKey: `key-${i}`,
      }),
    );
  const router: OrgRouter = await startOrgRouter(sims);
  const slack = await startFakeSlack();
  slack.setMembers(CHANNEL, [RESPONDER]);
  slack.addUser({ id: RESPONDER, name: "responder", email: "responder@example.com" });
  const socket = await startFakeSocket();
  slack.socketUrl = socket.url;
  return {
    sims,
    slack,
    socket,
    apiUrl: router.url,
    databasePath: join(tempDir(), "multi.db"),
    keys: new Map(ids.map((id, i) => [id, `key-${i}`])),
    close: async () => {
      await router.close();
      for (const sim of sims) await sim.close();
      await socket.close();
      await slack.close();
    },
  };
}

/** Starts the bot on the world's database; stop it with `app.stop()`. */
export async function startBot(world: World, options: BotOptions = {}): Promise<Bot> {
  const ids = options.ids ?? [...world.keys.keys()];
  const logs = capturedLogger("info");
  const connected = world.socket.connections();
  const app = await startApp({
    config: parseConfig({
      ATLASSIAN_ORG_ID: ids.join(","),
      ATLASSIAN_API_KEY: ids.map((id) => world.keys.get(id)).join(","),
      ATLASSIAN_API_BASE_URL: world.apiUrl,
      SLACK_BOT_TOKEN: "xoxb-multi",
      SLACK_APP_TOKEN: "xapp-multi",
      SLACK_ALERT_CHANNEL: CHANNEL,
      SLACK_API_URL: world.slack.url,
      PORT: "0",
      POLL_INTERVAL_SECONDS: "5",
      BACKFILL_DAYS: "1",
      DATABASE_PATH: world.databasePath,
      ...options.env,
    }),
    logger: logs.logger,
    clock: systemClock,
  });
  const backfills = options.backfills ?? ids.length;
  await until(() => world.socket.connections() > connected, "the socket connected", 10_000);
  await until(
    () => (logs.text().match(/backfill done/g) ?? []).length === backfills,
    "the backfills",
    20_000,
  );
  const send = async (type: string, payload: Record<string, unknown>) => {
    const envelope_id = `env-${++counter}`;
    world.socket.send({
      type,
      envelope_id,
      accepts_response_payload: type !== "events_api",
      payload,
    });
    const acked = () => world.socket.acks.find((a) => a.envelope_id === envelope_id);
    await until(() => acked() !== undefined, `the acknowledgement of ${type}`);
    return acked() as SocketAck;
  };
  return { app, logs, send };
}

/** The world and a bot watching all of it. */
export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const world = await startWorld(options);
  const bot = await startBot(world, options);
  return {
    ...world,
    ...bot,
    alertsOf: (name) => world.slack.messages(CHANNEL).filter((m) => m.text.includes(` by ${name}`)),
    close: async () => {
      await bot.app.stop();
      await world.close();
    },
  };
}

/** A live MCP call by `name` (account `acc-<name>` unless given), as the audit log reports it. */
export function mcpCall(
  sim: Simulator,
  id: string,
  name: string,
  tool = "deleteJiraIssue",
  account?: string,
  email?: string,
) {
  return {
    id,
    attributes: {
      time: new Date().toISOString(),
      action: sim.org.mcpActionKey,
      actor: {
        id: account ?? `acc-${name.toLowerCase()}`,
        name,
        email: email ?? `${name.toLowerCase()}@example.com`,
        auth: { authType: "auth-token-for-3LO" },
      },
      context: [{ id: tool, type: "mcp-tool", attributes: { name: tool } }],
      container: [
        { id: "s", type: "sites", attributes: { siteHostName: "https://acme.atlassian.net" } },
      ],
    },
  };
}

/** `/mcp-activity <text>` as Slack sends it over the socket. */
export function command(text: string, user = RESPONDER) {
  const id = ++counter;
  return {
    token: "t",
    team_id: "T0FAKE",
    channel_id: CHANNEL,
    user_id: user,
    command: "/mcp-activity",
    text,
    response_url: "https://hooks.slack.com/commands/x",
    trigger_id: `trig-${id}`,
  };
}

type Element = { action_id?: string; value?: string };

/** The value of a message's button. */
export function buttonValue(m: { blocks?: unknown[] }, actionId: string): string | undefined {
  const elements = ((m.blocks ?? []) as { elements?: Element[]; accessory?: Element }[]).flatMap(
    (b) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])],
  );
  return elements.find((e) => e.action_id === actionId)?.value;
}

/** A button click, on a message in the channel (its reply to `reply`'s response URL) or a Home. */
export function blockAction(
  slack: FakeSlack,
  user: string,
  actionId: string,
  value: string,
  reply: string,
  where: { message?: FakeMessage; view?: boolean } = {},
) {
  return {
    type: "block_actions",
    team: { id: "T0FAKE" },
    user: { id: user, username: user, team_id: "T0FAKE" },
    api_app_id: "A0FAKE",
    token: "unused",
    trigger_id: `t-${reply}`,
    ...(where.view
      ? { container: { type: "view", view_id: "V1" }, view: { id: "V1", type: "home" } }
      : {
          container: { type: "message", message_ts: where.message?.ts, channel_id: CHANNEL },
          channel: { id: CHANNEL },
          message: { ts: where.message?.ts, type: "message", text: where.message?.text },
          response_url: slack.responseUrl(reply),
        }),
    actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: "1" }],
  };
}

/** `user` opened the Home tab. */
export function homeOpened(user: string) {
  return {
    token: "t",
    team_id: "T0FAKE",
    api_app_id: "A0FAKE",
    type: "event_callback",
    event_id: `Ev${++counter}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: "app_home_opened", user, channel: "D0HOME", tab: "home" },
  };
}
