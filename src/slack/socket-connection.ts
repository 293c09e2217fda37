import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { disconnectReason, dropWords, reasonOf } from "./socket-reasons.js";

/** Whether Socket Mode is connected, since when it is (or is not), and why it last failed. */
export interface SocketState {
  readonly connected: boolean;
  readonly since: number;
  readonly lastError: string | null;
}

/** Not connected for this long after a start or a drop, Slack's side of the bot counts as down. */
export const SOCKET_GRACE_MS = 2 * 60_000;

/** Down past the grace of a start or a drop: nobody's command or click is answered. */
export function socketDown(socket: SocketState | undefined, now: number): boolean {
  return socket !== undefined && !socket.connected && now - socket.since >= SOCKET_GRACE_MS;
}

/** How long Slack has to say hello on a new connection before it is dropped and tried again. */
export const HELLO_WITHIN_MS = 30_000;
/** A link up this long was a success: the backoff starts over when it drops. */
const STEADY_MS = 60_000;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;
const NO_HELLO = Symbol("no hello");

/** The wait before the next attempt after `failures` in a row: none after none. */
function retryAfter(failures: number): number {
  return failures === 0 ? 0 : Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS);
}

/**
 * The Socket Mode connection, kept up by this class alone: Slack's client reconnects by itself
 * only for some failures, gives up on others (Slack or the network away at boot), and a failed
 * reconnect of its own is a rejection nobody can catch. So the client's own reconnection is off
 * (see startSlackApp), and a connection that fails or drops is started again here, with backoff,
 * until Slack takes it. Slack's hello is not yet a success: a link Slack closes at once (Socket
 * Mode off in the app) is a failure too, and the backoff starts over only once a link held.
 * Its state is read from the client's events, for /healthz.
 */
export class SocketConnection {
  private current: SocketState;
  private readonly stopping = new AbortController();
  private readonly log: Logger;
  /** The loop that connects, while one runs. */
  private connecting: Promise<void> | undefined;
  /** Failed attempts and short-lived links in a row. */
  private failures = 0;
  /** When the link last said hello; since when no link has held (a quick drop keeps it). */
  private upAt = 0;
  private downSince: number;
  /** The reason of Slack's `disconnect` envelope, until the link it closes is gone. */
  private dropReason: string | undefined;
  /** What was said in this outage: said again at debug only, until a link holds. */
  private readonly told = new Set<string>();
  /** The last link closed soon after Slack's hello: the next hello is news only once it holds. */
  private flapping = false;
  /** Aborted when the current link drops. */
  private link = new AbortController();

  constructor(
    private readonly o: {
      /** Starts the app's Socket Mode session: resolves once Slack said hello. */
      readonly start: () => Promise<unknown>;
      /** The Socket Mode client: its events, and how to drop a connection Slack never greets. */
      readonly client: {
        on(event: string, listener: (data?: unknown) => void): unknown;
        disconnect(): Promise<unknown>;
      };
      readonly clock: Clock;
      readonly logger: Logger;
    },
  ) {
    this.log = o.logger.child({ component: "socket-mode" });
    this.downSince = o.clock.now();
    this.current = { connected: false, since: this.downSince, lastError: null };
    o.client.on("connected", () => {
      this.upAt = o.clock.now();
      this.link = new AbortController();
      // After quick drops a link is up (in /healthz too) only once it held: still down till then.
      if (this.flapping) void this.announceOnceHeld(this.link.signal);
      else {
        this.up();
        this.log.info("Socket Mode connected to Slack");
      }
    });
    // The client closes the link on Slack's `disconnect` envelope without saying why: read here.
    o.client.on("ws_message", (data) => {
      this.dropReason = disconnectReason(data) ?? this.dropReason;
    });
    o.client.on("disconnected", () => {
      if (this.stopping.signal.aborted || this.connecting) return;
      this.dropped();
    });
  }

  state(): SocketState {
    return this.current;
  }

  /**
   * Connects after `wait` ms, then tries again with backoff until it does or `stop` is called;
   * each kind of failure logged once. One loop at a time; never rejects.
   */
  connect(wait = 0): Promise<void> {
    this.connecting ??= this.loop(wait)
      .catch((error: unknown) => {
        this.log.error(
          { err: error },
          "Socket Mode stopped trying to connect to Slack: restart the bot",
        );
      })
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }

  stop(): void {
    this.stopping.abort();
  }

  private up(): void {
    this.current = { connected: true, since: this.upAt, lastError: null };
  }

  private dropped(): void {
    const now = this.o.clock.now();
    const { words, warn } = dropWords(this.dropReason);
    this.dropReason = undefined;
    this.link.abort();
    this.flapping = now - this.upAt < STEADY_MS;
    if (this.flapping) this.failures++;
    else {
      // The link held: a new outage, tried again at once.
      this.failures = 0;
      this.downSince = now;
      this.told.clear();
    }
    const wait = retryAfter(this.failures);
    const lastError =
      words ?? (wait > 0 ? "the connection closed within a minute of Slack's hello" : null);
    this.current = { connected: false, since: this.downSince, lastError };
    this.say(
      warn ? "warn" : "info",
      lastError ?? "dropped",
      `Socket Mode lost its connection to Slack${words ? `: ${words}` : ""}; connecting again${wait > 0 ? ` in ${Math.round(wait / 1000)} s` : ""}`,
    );
    void this.connect(wait);
  }

  private async loop(firstWait: number): Promise<void> {
    let wait = firstWait;
    while (!this.stopping.signal.aborted) {
      if (wait > 0) await this.o.clock.sleep(wait, this.stopping.signal);
      if (this.stopping.signal.aborted) return;
      const why = await this.attempt();
      if (why === undefined || this.stopping.signal.aborted) return;
      this.failures++;
      wait = retryAfter(this.failures);
      this.current = { ...this.current, connected: false, lastError: why };
      this.say(
        "error",
        why,
        `Socket Mode could not connect to Slack (${why}): /mcp-activity and the buttons get no answer until it does; trying again in ${Math.round(wait / 1000)} s`,
      );
    }
  }

  /** One connection: undefined once Slack said hello, else why not. */
  private async attempt(): Promise<string | undefined> {
    // A reason Slack gave for closing an earlier link is not this one's.
    this.dropReason = undefined;
    const settled = new AbortController();
    const deadline = this.o.clock
      .sleep(HELLO_WITHIN_MS, AbortSignal.any([settled.signal, this.stopping.signal]))
      .then(() => NO_HELLO);
    try {
      // The race keeps a late rejection of start (after the socket is dropped below) handled.
      const started = (async () => this.o.start())();
      if ((await Promise.race([started, deadline])) !== NO_HELLO) return undefined;
    } catch (error) {
      // Slack may refuse a link before its hello, saying why (Socket Mode off in the app).
      const said = dropWords(this.dropReason).words;
      this.dropReason = undefined;
      return said ?? reasonOf(error);
    } finally {
      settled.abort();
    }
    // Slack's client would wait for ever on a connection that is open but never greeted.
    if (!this.stopping.signal.aborted) await this.o.client.disconnect();
    return `no hello from Slack within ${HELLO_WITHIN_MS / 1000} s`;
  }

  /** Says `line` the first time `key` comes up in an outage, at debug after that. */
  private say(level: "info" | "warn" | "error", key: string, line: string): void {
    if (this.told.has(key)) this.log.debug(line);
    else this.log[level](line);
    this.told.add(key);
  }

  /** After links that closed at once, counts and says this one as up only when it held. */
  private async announceOnceHeld(link: AbortSignal): Promise<void> {
    this.log.debug("Socket Mode connected to Slack");
    await this.o.clock.sleep(STEADY_MS, AbortSignal.any([link, this.stopping.signal]));
    if (link.aborted || this.stopping.signal.aborted) return;
    this.flapping = false;
    this.up();
    this.log.info("Socket Mode connected to Slack, and the connection has held for a minute");
  }
}
