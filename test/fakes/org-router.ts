import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Simulator } from "../../src/simulator/index.js";

/**
 * One base URL in front of several simulated organizations, as api.atlassian.com serves them
 * all: `/admin/v1/orgs/<id>/…` goes to that organization's simulator, and `/admin/v1/orgs`
 * lists every organization whose simulator accepts the request's key.
 */
export interface OrgRouter {
  readonly url: string;
  close(): Promise<void>;
}

const ORG_PATH = /^\/admin\/v1\/orgs\/([^/?]+)/;

async function forward(sim: Simulator, req: IncomingMessage): Promise<Response> {
  const headers: Record<string, string> = {};
  if (req.headers.authorization) headers.authorization = req.headers.authorization;
  return fetch(`${sim.url}${req.url ?? "/"}`, { headers });
}

export async function startOrgRouter(sims: readonly Simulator[]): Promise<OrgRouter> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    const id = ORG_PATH.exec(path)?.[1];
    if (id === undefined && path.split("?")[0] === "/admin/v1/orgs") {
      const answers = await Promise.all(sims.map((sim) => forward(sim, req)));
      const seen = answers.filter((a) => a.ok);
      if (seen.length === 0) {
        const first = answers[0] as Response;
        res.writeHead(first.status, { "content-type": "application/json" });
        res.end(await first.text());
        return;
      }
      const bodies = (await Promise.all(seen.map((a) => a.json()))) as { data: unknown[] }[];
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: bodies.flatMap((b) => b.data), links: {} }));
      return;
    }
    const sim = sims.find((s) => s.orgId === decodeURIComponent(id ?? ""));
    if (!sim) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ status: "404", title: "Not Found" }] }));
      return;
    }
    const answer = await forward(sim, req);
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!["content-length", "content-encoding", "transfer-encoding"].includes(name))
        headers[name] = value;
    });
    res.writeHead(answer.status, headers);
    res.end(await answer.text());
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
