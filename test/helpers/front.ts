import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** What the front answers itself for a request's path (with its query), or undefined. */
export type Intercept = (path: string) => { status: number; body: string } | undefined;

/**
 * A server on 127.0.0.1 in front of `target`: answers what `intercept` does, and passes the rest
 * on with their authorization. A request the target no longer answers (it closed as the test
 * ended) gets a 502, never an unhandled rejection.
 */
export async function front(
  target: string,
  intercept: Intercept,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    const own = intercept(path);
    const answer = own
      ? Promise.resolve(own)
      : fetch(`${target}${path}`, {
          headers: { authorization: String(req.headers.authorization ?? "") },
        }).then(async (r) => ({ status: r.status, body: await r.text() }));
    answer
      .then(({ status, body }) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(body);
      })
      .catch((error: unknown) => {
        res.writeHead(502);
        res.end(String(error));
      });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
