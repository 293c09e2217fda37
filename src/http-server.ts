import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AppError } from "./errors.js";

export interface HealthReport {
  /** false answers 503 so orchestrators restart or page. */
  readonly healthy: boolean;
  readonly body: Record<string, unknown>;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify(body));
}

/** `GET /healthz`: JSON, 200 while healthy, 503 otherwise. */
export function healthHandler(report: () => HealthReport): RequestHandler {
  return (_req, res) => {
    try {
      const { healthy, body } = report();
      sendJson(res, healthy ? 200 : 503, body);
    } catch (error) {
      sendJson(res, 503, { status: "error", error: (error as Error).message });
    }
  };
}

/**
 * A failure to listen said as what to change (the port in use, an address not this machine's),
 * naming the setting that chose it; any other error as it was. Retryable: what a restart may find
 * gone (a port still held by the process before, a name server not answering yet).
 */
export function listenError(
  error: unknown,
  at: { port: number; host: string },
  names: { port: string; host: string } = { port: "PORT", host: "HOST" },
): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const cause = { cause: error, retryable: code === "EADDRINUSE" || code === "EAI_AGAIN" };
  if (code === "EADDRINUSE")
    return new AppError(
      "PORT_IN_USE",
      `${names.port} ${at.port} is in use on ${at.host}: stop what listens there, or choose another port with ${names.port}`,
      cause,
    );
  if (code === "EACCES")
    return new AppError(
      "PORT_DENIED",
      `${names.port} ${at.port} needs privileges on ${at.host}: choose a port above 1023 with ${names.port}`,
      cause,
    );
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new AppError(
      "HOST_UNKNOWN",
      `${names.host} ${at.host} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its own addresses`,
      cause,
    );
  return error;
}

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The path of a request's target; undefined, once it is answered 400, for a target URL cannot
 * read (`//[`, `//:99999`): anyone who reaches the port may send one, and URL throws.
 */
export function readablePath(req: IncomingMessage, res: ServerResponse): string | undefined {
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    sendJson(res, 400, { error: "unreadable request target" });
    return undefined;
  }
}

/**
 * A plain HTTP server for the routes given; anything else is 404. A route that throws is
 * answered 500, as Bolt's receiver answers one of its own: a request never ends the process.
 */
export function listen(
  port: number,
  routes: Record<string, RequestHandler>,
  host = "0.0.0.0",
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const path = readablePath(req, res);
    if (path === undefined) return;
    const route = req.method === "GET" || req.method === "HEAD" ? routes[path] : undefined;
    if (!route) return sendJson(res, 404, { error: "not found" });
    try {
      route(req, res);
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: (error as Error).message });
    }
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/**
 * Listens on `host`:`port` and closes at once: what stops the server there for good (a port that
 * needs privileges, an address or name not this machine's), said as listenError says it, found
 * before anything else is done; undefined when it listens, or fails in a way a restart may not.
 */
export async function listenRefusal(port: number, host: string): Promise<AppError | undefined> {
  try {
    await (await listen(port, {}, host)).close();
    return undefined;
  } catch (error) {
    const problem = listenError(error, { port, host });
    return problem instanceof AppError && !problem.retryable ? problem : undefined;
  }
}
