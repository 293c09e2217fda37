/**
 * Slack's Socket Mode end on 127.0.0.1: a WebSocket server that greets each client as Slack
 * does (`hello`), so the app's Socket Mode client counts itself connected, and records what the
 * app sends back (the acknowledgements of envelopes, with their payloads). Point a FakeSlack's
 * `socketUrl` at `url`.
 */
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

/** What the app sent back over the socket: an envelope's acknowledgement and its answer. */
export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: unknown;
}

export interface FakeSocket {
  readonly url: string;
  /** Acknowledgements received so far, oldest first. */
  readonly acks: readonly SocketAck[];
  /** Clients that connected so far. */
  connections(): number;
  /** Cuts every connection, as a network drop does; the server keeps listening. */
  drop(): void;
  /** Sends an envelope (a slash command, an event) to every client, as Slack does. */
  send(envelope: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startFakeSocket(): Promise<FakeSocket> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  let connections = 0;
  const acks: SocketAck[] = [];
  server.on("connection", (socket) => {
    connections++;
    socket.on("message", (data) => {
      try {
        acks.push(JSON.parse(String(data)) as SocketAck);
      } catch {
        // not JSON: nothing the app acknowledges
      }
    });
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        connection_info: { app_id: "A0FAKE" },
        debug_info: { host: "fake", approximate_connection_time: 3600 },
      }),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/link`,
    acks,
    connections: () => connections,
    drop: () => {
      for (const client of server.clients) client.terminate();
    },
    send: (envelope) => {
      for (const client of server.clients) client.send(JSON.stringify(envelope));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
