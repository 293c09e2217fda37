import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";

/** Whether Socket Mode is connected, since when it is (or is not), and why it last failed. */
export interface SocketState {
  readonly connected: boolean;
  readonly since: number;
  readonly lastError: string | null;
}

/** Not connected for this long after a start or a drop, Slack's side of the bot counts as down. */
export const SOCKET_GRACE_MS = 2 * 60_000;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * The Socket Mode connection, kept up by this class alone: Slack's client reconnects by itself
 * only for some failures, gives up on others (Slack or the network away at boot), and a failed
 * reconnect of its own is a rejection nobody can catch. So the client's own reconnection is off
 * (see startSlackApp), and a connection that fails or drops is started again here, with backoff,
 * until Slack takes it. Its state is read from the client's events, for /healthz.
 */
export class SocketConnection {
  private current: SocketState;
  private readonly stopping = new AbortController();
  private readonly log: Logger;
  /** The loop that connects, while one runs. */
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly o: {
      /** Starts the app's Socket Mode session: resolves once connected. */
      readonly start: () => Promise<unknown>;
      /** The Socket Mode client: its `connected` and `disconnected` events. */
      readonly client: { on(event: string, listener: () => void): unknown };
      readonly clock: Clock;
      readonly logger: Logger;
    },
  ) {
    this.log = o.logger.child({ component: "socket-mode" });
    this.current = { connected: false, since: o.clock.now(), lastError: null };
    o.client.on("connected", () => {
      if (!this.current.connected) this.log.info("Socket Mode connected to Slack");
      this.current = { connected: true, since: o.clock.now(), lastError: null };
    });
    o.client.on("disconnected", () => {
      if (this.stopping.signal.aborted || this.connecting) return;
      this.current = { ...this.current, connected: false, since: o.clock.now() };
      // Slack also closes connections now and then on purpose (a refresh): said, not warned.
      this.log.info("Socket Mode lost its connection to Slack; connecting again");
      void this.connect();
    });
  }

  state(): SocketState {
    return this.current;
  }

  /**
   * Connects at once, then tries again with backoff until it does or `stop` is called; each kind
   * of failure logged once. One loop at a time.
   */
  connect(): Promise<void> {
    this.connecting ??= this.loop().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async loop(): Promise<void> {
    let wait = FIRST_RETRY_MS;
    const told = new Set<string>();
    while (!this.stopping.signal.aborted) {
      try {
        await this.o.start();
        return;
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        const why = reasonOf(error);
        this.current = { ...this.current, connected: false, lastError: why };
        const line = `Socket Mode could not connect to Slack (${why}): /mcp-activity and the buttons get no answer until it does; trying again in ${Math.round(wait / 1000)} s`;
        if (told.has(why)) this.log.debug(line);
        else this.log.error(line);
        told.add(why);
        await this.o.clock.sleep(wait, this.stopping.signal);
        wait = Math.min(wait * 2, MAX_RETRY_MS);
      }
    }
  }

  stop(): void {
    this.stopping.abort();
  }
}

/** Slack's error code, else the network's (ECONNREFUSED, ENOTFOUND), else the message. */
function reasonOf(error: unknown): string {
  const e = error as {
    data?: { error?: string };
    original?: { code?: string; cause?: { code?: string } };
    message?: string;
  };
  return e.data?.error ?? e.original?.code ?? e.original?.cause?.code ?? e.message ?? String(error);
}
