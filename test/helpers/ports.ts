import type { AddressInfo } from "node:net";
import { createServer } from "node:net";

/** A loopback port that was free a moment ago: nothing listens there, connections are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
