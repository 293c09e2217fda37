import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * How long Bolt waits for a listener to acknowledge a request before it answers it itself
 * (unhandledRequestTimeoutMillis: Slack's 3 s, and 1 ms).
 */
export const BOLT_ANSWERS_MS = 3_001;

/** How long a stop lets the requests still sent in part end before it cuts their connections. */
const HALF_SENT_MS = 1_000;

/** When a stop cuts every connection left: Bolt has answered each request it had at the start. */
const ALL_MS = BOLT_ANSWERS_MS + 500;

export interface OpenRequests {
  /**
   * Runs `close` (the server's), which waits for every connection to end: a request answered
   * meanwhile closes its own; after 1 s, cuts those that have not given Bolt a whole request
   * (idle, or a request sent in part); after Bolt's 3 s, all.
   */
  closing(close: () => Promise<unknown>): Promise<void>;
}

/**
 * The connections of HTTP mode's server as a stop sees them. A client that sent part of a request
 * and went quiet would hold the server open for Node's requestTimeout (5 minutes), past the 10 s
 * a stop may take, the database left open. A request Bolt has whole is answered within Slack's
 * 3 s: cutting its connection sooner loses its answer (the listener's ack() does not throw on a
 * closed connection) and Slack shows the person a failure.
 */
export function openRequests(server: Server): OpenRequests {
  const connections = new Set<Socket>();
  const requests = new Map<IncomingMessage, ServerResponse>();
  let stopping = false;
  server.on("connection", (socket: Socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    requests.set(req, res);
    if (stopping) closesAfter(res);
    res.once("close", () => requests.delete(req));
  });
  return {
    closing: async (close) => {
      stopping = true;
      for (const res of requests.values()) closesAfter(res);
      const halfSent = setTimeout(() => {
        const answering = new Set(
          [...requests.keys()].filter((r) => r.complete).map((r) => r.socket),
        );
        for (const socket of connections) if (!answering.has(socket)) socket.destroy();
      }, HALF_SENT_MS);
      const all = setTimeout(() => server.closeAllConnections(), ALL_MS);
      try {
        await close();
      } finally {
        clearTimeout(halfSent);
        clearTimeout(all);
      }
    },
  };
}

/**
 * An answer given during a stop closes its connection: kept alive, the connection would hold the
 * stop until the last cut, and with it a request sent in part behind the answered one (pipelined).
 */
function closesAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader("Connection", "close");
}
