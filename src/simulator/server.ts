/** A loopback fake of the Atlassian organizations API serving a synthetic org. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock } from "../clock.js";
import { listenError } from "../http-server.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { type Cursors, eventsStreamReply } from "./events-stream.js";
import { type Fault, FaultQueue, faultReply } from "./faults.js";
import { SyntheticOrg } from "./org.js";
import { errorReply, isoReset, jsonReply, type Reply } from "./replies.js";
import { EventStream } from "./stream.js";
import type { RecordedRequest, Simulator, SimulatorOptions } from "./surface.js";

/** The simulator's address is chosen with `simulate --port`. */
const LISTEN_NAMES = { port: "--port", host: "its address" };

export type { RecordedRequest, Simulator, SimulatorOptions } from "./surface.js";

const ORG_PATH = /^\/admin\/v1\/orgs\/([^/]+)(\/.*)$/;

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  if (!options.apiKey) throw new RangeError("apiKey must not be empty");
  const clock = options.clock ?? systemClock;
  const org = new SyntheticOrg(options);
  const stream = new EventStream(org);
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const secret = `${org.orgId}:${org.seed}`;
  const perMinute = options.rateLimitPerMinute ?? 1000;
  const rateWindow = { minute: -1, count: 0 };
  let apiKey = options.apiKey;
  let forbidden = options.forbidden ?? false;
  let duplicates = options.duplicateOverlap ?? 0;
  let generation = 0;
  let url = "";

  const cursors: Cursors = {
    encode: (position, timeFrom) => encodeCursor(position, generation, secret, timeFrom),
    decode: (cursor) => {
      const decoded = decodeCursor(cursor, secret);
      if (!decoded) return "invalid";
      return decoded.generation < generation ? "expired" : decoded;
    },
  };

  function rateHeaders(now: number): Record<string, string> {
    const minute = Math.floor(now / 60_000);
    if (minute !== rateWindow.minute) Object.assign(rateWindow, { minute, count: 0 });
    rateWindow.count++;
    return {
      "x-ratelimit-limit": String(perMinute),
      "x-ratelimit-remaining": String(Math.max(0, perMinute - rateWindow.count)),
      "x-ratelimit-reset": isoReset((minute + 1) * 60_000),
    };
  }

  function route(
    req: IncomingMessage,
    path: string,
    params: URLSearchParams,
    record: RecordedRequest,
    fault?: Fault,
  ): Reply {
    if (req.method !== "GET")
      return errorReply(405, "ADMIN-405-1", `${req.method} is not supported`);
    if (!record.authorizationPresent)
      return errorReply(401, "ADMIN-401-1", "Missing Authorization header");
    if (!record.authorized)
      return errorReply(401, "ADMIN-401-1", "The API key is not valid or has expired");
    if (forbidden) return errorReply(403, "ADMIN-403-3", "The API key is not allowed to do this");
    const now = clock.now();
    const headers = rateHeaders(now);
    if (path === "/admin/v1/orgs") {
      return jsonReply(
        200,
        { data: [{ id: org.orgId, type: "orgs", attributes: { name: org.orgName } }], links: {} },
        headers,
      );
    }
    const match = ORG_PATH.exec(path);
    if (!match) return errorReply(404, "ADMIN-404-1", `No route for ${path}`);
    if (safeDecode(match[1] ?? "") !== org.orgId)
      return errorReply(404, "ADMIN-404-2", "Organization not found");
    const rest = match[2] ?? "";
    if (rest === "/events-stream") {
      const reply = eventsStreamReply({
        stream,
        cursors,
        now,
        url: `${url}${path}`,
        params,
        fromFilters: options.fromFilters ?? "processedAt",
        duplicates: fault?.kind === "duplicates" ? fault.count : duplicates,
        ...(fault?.kind === "garbage" ? { garbage: fault.variant } : {}),
      });
      return { ...reply, headers: { ...reply.headers, ...headers } };
    }
    if (rest === "/event-actions") return jsonReply(200, { data: org.catalog, links: {} }, headers);
    const eventId = /^\/events\/([^/]+)$/.exec(rest)?.[1];
    if (eventId !== undefined) {
      const event = stream.eventById(safeDecode(eventId), now);
      return event === undefined
        ? errorReply(404, "ADMIN-404-1", "Event not found", headers)
        : jsonReply(200, { data: event }, headers);
    }
    return errorReply(404, "ADMIN-404-1", `No route for ${path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname, searchParams } = new URL(req.url ?? "/", "http://127.0.0.1");
    const header = req.headers.authorization;
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: pathname,
      query: Object.fromEntries(searchParams),
      authorizationPresent: header !== undefined,
      authorized: header === `Bearer ${apiKey}`,
      at: clock.now(),
      status: 0,
    };
    requests.push(record);
    const fault = faults.take(pathname.endsWith("/events-stream"));
    if (fault) record.fault = fault.kind;
    if (fault?.kind === "delay") {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, fault.ms);
        timers.add(timer);
      });
    }
    const reply =
      (fault && faultReply(fault, clock.now())) ??
      route(req, pathname, searchParams, record, fault);
    record.status = reply.status;
    // Dated by the simulator's clock, as Atlassian's answers are by Atlassian's.
    res.setHeader("date", new Date(clock.now()).toUTCString());
    send(res, reply, fault?.kind === "truncated" ? (fault.abort ? "abort" : "cut") : "whole");
    if (reply.afterSent) setImmediate(reply.afterSent);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, errorReply(500, "ADMIN-500-1", String(error)), "whole");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(listenError(error, { port: options.port ?? 0, host: "127.0.0.1" }, LISTEN_NAMES)),
    );
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    orgId: org.orgId,
    org,
    stream,
    requests,
    clearRequests: () => void requests.splice(0),
    injectFault: (fault, faultOptions) => faults.add(fault, faultOptions),
    clearFaults: () => faults.clear(),
    get pendingFaults() {
      return faults.pending;
    },
    injectEvents: (items) => stream.inject(items, clock.now()),
    setForbidden(value) {
      forbidden = value;
    },
    setApiKey(value) {
      apiKey = value;
    },
    setDuplicateOverlap(count) {
      duplicates = count;
    },
    expireCursors() {
      generation++;
    },
    validEventsUpTo: (now = clock.now()) => stream.validEventsUpTo(now),
    countValidEventsUpTo: (now = clock.now()) => stream.countValidEventsUpTo(now),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, reply: Reply, mode: "whole" | "cut" | "abort"): void {
  if (res.destroyed) return;
  const body = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : reply.body;
  const sent = mode === "whole" ? body : body.subarray(0, Math.floor(body.length / 2));
  res.writeHead(reply.status, {
    ...reply.headers,
    "content-length": String(mode === "abort" ? body.length : sent.length),
  });
  if (mode === "abort") res.write(sent, () => res.destroy());
  else res.end(sent);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
