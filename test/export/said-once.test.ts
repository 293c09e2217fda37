/** The SIEM export's "said once while it lasts" (real HTTP on 127.0.0.1, real SQLite). */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { ExportClient } from "../../src/export/client.js";
import { targetFingerprint } from "../../src/export/sign.js";
import { Exporter } from "../../src/export/worker.js";
import { Secret } from "../../src/secret.js";
import { mcpEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore } from "../store/setup.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
const MINUTE = 60_000;

async function receiver(
  answer: (body: string) => { status: number; body: string; headers?: Record<string, string> },
) {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const a = answer(body);
      res.writeHead(a.status, { "content-type": "text/plain", ...a.headers });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`;
}

function setup(url: string, orgIds: string[]) {
  const s = freshStore();
  const clock = new VirtualClock();
  const logs = capturedLogger("debug");
  const exporter = new Exporter({
    store: s.export,
    client: new ExportClient({ url, secret: new Secret(SECRET), clock }),
    orgIds,
    target: targetFingerprint(url, SECRET),
    origin: new URL(url).origin,
    clock,
    logger: logs.logger,
    batchRecords: 500,
    random: () => 1,
  });
  const store = (events: Array<Partial<NormalizedEvent>>) =>
    s.transaction(() =>
      s.events.insertMany(
        events.map((e) => mcpEvent({ id: `ev-${Math.random()}`, ...e })),
        clock.now(),
      ),
    );
  const lines = (re: RegExp) =>
    logs
      .lines()
      .filter((l) => re.test(String(l.msg)))
      .map((l) => [l.level, l.msg]);
  return { s, clock, exporter, store, lines };
}

describe("the export's retry reasons said once", () => {
  it("never says the receiver takes records again while one organization's batch keeps failing", async () => {
    const url = await receiver((body) =>
      body.includes('"org-1"')
        ? { status: 500, body: "cannot parse this batch" }
        : { status: 200, body: "" },
    );
    const { clock, exporter, store, lines } = setup(url, ["org-1", "org-2"]);
    store([{ id: "a" }]);
    for (let pass = 0; pass < 4; pass++) {
      store([{ orgId: "org-2", id: `x${pass}` }]); // org-2 keeps delivering
      await exporter.pass(new AbortController().signal);
      clock.advance(20 * MINUTE);
    }
    // org-1's records never went: its failure still lasts.
    expect(lines(/takes records again/)).toEqual([]);
    expect(lines(/cannot parse this batch/).filter(([level]) => level === 40)).toHaveLength(1);
  });

  it("says a receiver's 503 once even when its page names a request id", async () => {
    let n = 0;
    const url = await receiver(() => ({
      status: 503,
      body: `upstream unavailable (request id ${++n})`,
    }));
    const { clock, exporter, store, lines } = setup(url, ["org-1"]);
    store([{ id: "a" }]);
    for (let pass = 0; pass < 5; pass++) {
      await exporter.pass(new AbortController().signal);
      clock.advance(20 * MINUTE);
    }
    expect(lines(/^export: the receiver answered 503/).filter(([l]) => l === 40)).toHaveLength(1);
  });

  it("says an overloaded receiver's 429 once while it lasts, though a 503 comes between", async () => {
    const turns = 10;
    let n = 0;
    const url = await receiver(() => {
      n += 1;
      if (n > 2 * turns) return { status: 200, body: "" };
      return n % 2 === 1
        ? { status: 429, body: "Too Many Requests", headers: { "retry-after": "30" } }
        : { status: 503, body: "Service Unavailable" };
    });
    const { s, clock, exporter, store, lines } = setup(url, ["org-1"]);
    store([{ id: "a" }]);
    for (let pass = 0; pass < 100 && s.export.positions("org-1").mcp_event === 0; pass++) {
      await exporter.pass(new AbortController().signal);
      clock.advance(MINUTE);
    }
    expect(n).toBe(2 * turns + 1);
    const warned = (status: number) =>
      lines(new RegExp(`^export: the receiver answered ${status}`)).filter(([l]) => l === 40);
    expect([warned(429).length, warned(503).length]).toEqual([1, 1]);
    expect(lines(/takes records again/)).toHaveLength(1);
  });
});
