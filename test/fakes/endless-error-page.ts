import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";

/** What the page may send at most: a real endless page goes on until the client's timeout. */
const PAGE_BYTES = 64 * 1024 * 1024;

/**
 * A proxy in front of a service that answers every request with `status` and an endless HTML
 * page on 127.0.0.1, written as fast as the client reads it: `taken()` is how much each request
 * took before the client let go (the sockets' buffers included).
 */
export async function endlessErrorPage(status: number, firstLine: string) {
  const taken: number[] = [];
  const server = createServer((req, res) => {
    const at = taken.push(0) - 1;
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { "content-type": "text/html" });
      res.write(`${firstLine}\n`);
      const chunk = Buffer.alloc(64 * 1024, "x");
      const more = () => {
        while ((taken[at] ?? 0) < PAGE_BYTES && !res.destroyed) {
          taken[at] = (taken[at] ?? 0) + chunk.length;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        res.end();
      };
      more();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    taken: () => [...taken],
  };
}
