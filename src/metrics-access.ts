import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "./http-server.js";
import type { Metrics } from "./metrics.js";
import type { Secret } from "./secret.js";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Whether an Authorization header carries this bearer token (compared in constant time). */
function bearerIs(header: string | undefined, token: Secret): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? "")?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token.reveal()));
}

/** Addresses only this machine reaches. */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

/**
 * What to tell at start when GET /metrics answers whoever reaches the server: it listens beyond
 * this machine (HTTP mode, or HOST set) and no METRICS_TOKEN guards it. undefined: nothing to tell.
 */
export function openMetricsWarning(
  host: string,
  guarded: boolean,
  socketMode = false,
): string | undefined {
  if (guarded || LOOPBACK.test(host)) return undefined;
  // In Socket Mode nothing needs to be reached from outside: Slack is reached by the bot.
  const expose = socketMode
    ? "or keep the port off the network (Socket Mode needs no inbound route)"
    : "and let the reverse proxy expose only POST /slack/events";
  return `GET /metrics answers anyone who reaches ${host}: set METRICS_TOKEN, ${expose}`;
}

/** GET /metrics; with `token`, only for `Authorization: Bearer <token>` (401 otherwise). */
export function metricsHandler(metrics: Metrics, token?: Secret): RequestHandler {
  return (req, res) => {
    if (token && !bearerIs(req.headers.authorization, token)) {
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": "Bearer" });
      res.end("metrics need Authorization: Bearer <METRICS_TOKEN>\n");
      return;
    }
    metrics.render().then(
      (body) => {
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        res.end(body);
      },
      (error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`metrics unavailable: ${(error as Error).message}`);
      },
    );
  };
}
