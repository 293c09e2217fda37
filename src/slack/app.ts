import { AsyncLocalStorage } from "node:async_hooks";
import type { Server } from "node:http";
import { App, HTTPReceiver, SocketModeReceiver } from "@slack/bolt";
import { type Clock, systemClock } from "../clock.js";
import type { Config } from "../config.js";
import { listen, listenError, type RequestHandler, readablePath } from "../http-server.js";
import type { Logger } from "../logger.js";
import { markArrival } from "./arrival.js";
import { authorizeOnce } from "./authorize.js";
import { slackLogger, webClientOptions } from "./client.js";
import { refusingDatedAhead } from "./future-dated.js";
import { listenerErrors } from "./listener-errors.js";
import { BOLT_ANSWERS_MS, openRequests } from "./open-requests.js";
import { SignatureChecks } from "./signatures.js";
import { type ReceivedRequest, signedWith } from "./signed-with.js";
import { SocketConnection } from "./socket-connection.js";
import { unansweredRequest } from "./unanswered.js";

export interface SlackApp {
  readonly app: App;
  /** Where /healthz (and in HTTP mode /slack/events) is served. */
  readonly port: number;
  /** In Socket Mode: the connection to Slack, and how it stands. */
  readonly socket?: SocketConnection;
  /** In HTTP mode: how Slack's requests pass their signature check. */
  readonly signatures?: SignatureChecks;
  /** Asks Slack who the bot is now, so that the first request does not wait for it. */
  warm(): void;
  /**
   * Stops taking requests (in HTTP mode, cutting after 1 s the connections of those sent in part,
   * after Slack's 3 s all) and waits (up to 5 s) for the handlers still running.
   */
  stop(): Promise<void>;
}

const DRAIN_MS = 5_000;

/**
 * Counts the requests whose listeners are still running (Bolt acknowledges first and runs the
 * listener after), so a stop can wait for them before the database closes under them.
 */
function inFlight(app: App): () => Promise<void> {
  let running = 0;
  let idle: (() => void) | undefined;
  app.use(async ({ next }) => {
    running++;
    try {
      await next();
    } finally {
      running--;
      if (running === 0) idle?.();
    }
  });
  return () =>
    running === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, DRAIN_MS);
          idle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
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
  clock: Clock = systemClock,
): Promise<SlackApp> {
  const { slack } = config;
  const signatures = new SignatureChecks(clock, logger);
  const signingSecret = slack.signingSecret?.reveal() ?? "";
  // The request Bolt is refusing when it logs why (its log line names none), and when it arrived.
  const receiving = new AsyncLocalStorage<{ request: ReceivedRequest; at: number }>();
  const boltLogger = slackLogger(logger.child({ component: "bolt" }), (reason) =>
    signatures.refused(reason, signedWith(signingSecret, receiving.getStore()?.request)),
  );
  // Not `token`: Bolt would call auth.test in its constructor and crash the process if Slack
  // is away, or with verification off call it for every request (the notifier checks the
  // token at start instead and says what is wrong).
  const bot = authorizeOnce(slack.botToken.reveal(), slack.apiUrl, boltLogger);
  const common = {
    authorize: bot.authorize,
    clientOptions: webClientOptions(slack.apiUrl),
    logger: boltLogger,
    // No conversation state is kept between requests: Bolt's store would only cost memory.
    convoStore: false as const,
    // The error handler gets the request's body too (see listenerErrors).
    extendedErrorHandler: true,
  };
  if (slack.appToken) {
    // The receiver made here, not by Bolt: its client reaches SLACK_API_URL, its events tell the
    // connection's state, and its own reconnection is off (a failed one is an uncaught
    // rejection): SocketConnection connects again whenever the connection fails or drops.
    const receiver = new SocketModeReceiver({
      appToken: slack.appToken.reveal(),
      logger: boltLogger,
      autoReconnectEnabled: false,
      // A ping every 5 s, the link dropped after 15 s without a pong (Slack's default: 5 s), so a
      // stall of the event loop (a slow disk under SQLite) does not cut it.
      clientPingTimeout: 15_000,
      installerOptions: { clientOptions: webClientOptions(slack.apiUrl) },
    });
    const app = new App({ ...common, receiver, socketMode: true });
    app.error(listenerErrors(logger, clock));
    const drained = inFlight(app);
    register(app);
    const server = await listen(config.port, routes, host).catch((error: unknown) => {
      throw listenError(error, { port: config.port, host });
    });
    const socket = new SocketConnection({
      start: () => app.start(),
      client: receiver.client,
      clock,
      logger,
    });
    // The rest of the app (polling, /healthz, shutdown) does not wait for Slack to connect.
    const connecting = socket.connect();
    return {
      app,
      port: server.port,
      socket,
      warm: bot.warm,
      stop: async () => {
        socket.stop();
        await server.close();
        await app.stop().catch(() => undefined);
        await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, 1000))]);
        await drained();
      },
    };
  }
  const receiver = new HTTPReceiver({
    signingSecret,
    customRoutes: Object.entries(routes).map(([path, handler]) => ({
      path,
      method: ["GET", "HEAD"],
      handler,
    })),
    logger: boltLogger,
    unhandledRequestHandler: unansweredRequest(logger),
    // Bolt's default, given anyway: the stop's last cut is counted from it (open-requests.ts), so
    // a Bolt whose default changed does not answer after the cut.
    unhandledRequestTimeoutMillis: BOLT_ANSWERS_MS,
  });
  const listener = refusingDatedAhead(receiver.requestListener, {
    clock,
    secret: signingSecret,
    refused: (reason, signedRight) => signatures.refused(reason, signedRight),
  });
  // Bolt reads the path with new URL() too, and answers 500 with an error line to a target it
  // cannot read: anyone who reaches the port may send one, so it is answered 400 before.
  receiver.requestListener = (req, res) => {
    if (readablePath(req, res) === undefined) return;
    receiving.run({ request: req, at: clock.now() }, () => listener(req, res));
  };
  const app = new App({ ...common, receiver });
  app.error(listenerErrors(logger, clock));
  const drained = inFlight(app);
  // Middleware runs only for requests whose signature held.
  app.use(async ({ context, next }) => {
    signatures.verified();
    const arrived = receiving.getStore();
    if (arrived) markArrival(context, () => clock.now() - arrived.at);
    await next();
  });
  register(app);
  const server = (await app.start({ port: config.port, host }).catch((error: unknown) => {
    throw listenError(error, { port: config.port, host });
  })) as Server;
  const open = openRequests(server);
  const address = server.address();
  return {
    app,
    port: typeof address === "object" && address ? address.port : config.port,
    signatures,
    warm: bot.warm,
    stop: async () => {
      await open.closing(() => app.stop());
      await drained();
    },
  };
}
