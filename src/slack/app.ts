import { App } from "@slack/bolt";
import type { Config } from "../config.js";
import { listen, type RequestHandler } from "../http-server.js";
import type { Logger } from "../logger.js";
import { slackLogger, webClientOptions } from "./client.js";

export interface SlackApp {
  readonly app: App;
  /** Where /healthz (and in HTTP mode /slack/events) is served. */
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The Bolt app: HTTP mode (signed requests at POST /slack/events, /healthz beside it) without
 * SLACK_APP_TOKEN, Socket Mode with it (then /healthz has a small server of its own).
 * `routes` are served beside it (GET /healthz, /metrics); `register` adds the listeners before
 * the app starts.
 */
export async function startSlackApp(
  config: Config,
  logger: Logger,
  routes: Readonly<Record<string, RequestHandler>>,
  register: (app: App) => void,
  host = "0.0.0.0",
): Promise<SlackApp> {
  const { slack } = config;
  const common = {
    token: slack.botToken.reveal(),
    clientOptions: webClientOptions(slack.apiUrl),
    logger: slackLogger(logger.child({ component: "bolt" })),
    // Bolt would call auth.test in its constructor and crash the process if Slack is away;
    // the notifier checks the token at start instead and says what is wrong.
    tokenVerificationEnabled: false,
  };
  if (slack.appToken) {
    const app = new App({ ...common, appToken: slack.appToken.reveal(), socketMode: true });
    register(app);
    const server = await listen(config.port, routes, host);
    // Bolt keeps retrying a connection Slack refuses and its start() would not return; the
    // rest of the app (polling, /healthz, shutdown) must not wait for it.
    const connecting = app.start().catch((error: unknown) => {
      logger.error({ err: error }, "Socket Mode could not connect to Slack");
    });
    return {
      app,
      port: server.port,
      stop: async () => {
        await server.close();
        await app.stop().catch(() => undefined);
        await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, 1000))]);
      },
    };
  }
  const app = new App({
    ...common,
    signingSecret: slack.signingSecret?.reveal() ?? "",
    customRoutes: Object.entries(routes).map(([path, handler]) => ({
      path,
      method: ["GET"],
      handler,
    })),
  });
  register(app);
  const server = (await app.start({ port: config.port, host })) as import("node:http").Server;
  const address = server.address();
  return {
    app,
    port: typeof address === "object" && address ? address.port : config.port,
    stop: () => app.stop().then(() => undefined),
  };
}
