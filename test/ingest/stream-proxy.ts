/**
 * A loopback HTTP proxy in front of the simulator that lets a test rewrite the
 * events-stream's answers (the real-world behaviours the simulator has no fault for), and a
 * Poller that reads through it on the rig's SQLite file.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";
import { AtlassianClient } from "../../src/atlassian/client.js";
import { Poller } from "../../src/ingest/poller.js";
import type { PollerOptions } from "../../src/ingest/poller-options.js";
import { Secret } from "../../src/secret.js";
import { repositories } from "../../src/store/repositories.js";
import { API_KEY, MINUTE, type Rig } from "./setup.js";

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** `rewrite(url, forward)`: answer as it likes; `forward(url)` asks the simulator. */
export type Rewrite = (
  url: URL,
  forward: (url: URL) => Promise<Answer>,
) => Promise<Answer> | Answer | undefined;

export async function proxy(simUrl: string, rewrite: Rewrite): Promise<string> {
  const forward = async (url: URL, req?: IncomingMessage): Promise<Answer> => {
    const res = await fetch(`${simUrl}${url.pathname}${url.search}`, {
      headers: { authorization: String(req?.headers.authorization ?? `Bearer ${API_KEY}`) },
    });
    // Atlassian's answers are dated by its clock (the simulator's): the poller reads it there.
    const date = res.headers.get("date");
    return { status: res.status, body: await res.text(), ...(date ? { headers: { date } } : {}) };
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    Promise.resolve(
      url.pathname.endsWith("/events-stream") ? rewrite(url, (u) => forward(u, req)) : undefined,
    )
      .then((answer) => answer ?? forward(url, req))
      .then((answer) => {
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        res.end(answer.body);
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A poller on the rig's database and clock that reads the stream at `baseUrl`. */
export function pollerVia(r: Rig, baseUrl: string, options: Partial<PollerOptions> = {}): Poller {
  const client = new AtlassianClient({
    baseUrl,
    orgId: r.sim.orgId,
    apiKey: new Secret(API_KEY),
    clock: r.clock,
    logger: r.logs.logger,
    maxWaitMs: MINUTE,
    timeoutMs: 2_000,
    random: () => 0.5,
  });
  return new Poller({
    stores: repositories(r.db),
    client,
    clock: r.clock,
    logger: r.logs.logger,
    intervalMs: MINUTE,
    backfillDays: 7,
    pageLimit: 50,
    ...options,
  });
}

/** Sets a page's next cursor (meta.next and links.next). */
export function withNext(body: string, next: string): string {
  const page = JSON.parse(body) as { meta?: { next?: string }; links?: { next?: string } };
  page.meta = { ...page.meta, next };
  page.links = { ...page.links, next: `?cursor=${encodeURIComponent(next)}&limit=50` };
  return JSON.stringify(page);
}

export function nextOf(body: string): string | undefined {
  return (JSON.parse(body) as { meta?: { next?: string } }).meta?.next;
}

/** The stream behind a gateway that cuts every answer at `bytes` (256 KB by default). */
export function cutAt(r: Rig, bytes = 256_000): Promise<string> {
  return proxy(r.sim.url, async (u, forward) => {
    const answer = await forward(u);
    return { ...answer, body: answer.body.slice(0, bytes) };
  });
}

/** An event, happening now by the rig's clock, whose message is `content`. */
export function injectPage(r: Rig, id: string, content: string): void {
  r.sim.injectEvents([
    {
      id,
      type: "events",
      attributes: { time: new Date(r.clock.now()).toISOString(), action: "page_updated" },
      message: { content, format: "simple" },
    },
  ]);
}
