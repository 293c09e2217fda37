import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { AtlassianClient } from "../../src/atlassian/client.js";
import { MAX_ACTION_PAGES } from "../../src/atlassian/event-actions.js";
import { Secret } from "../../src/secret.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";

const row = (id: string, group: string) => ({
  id,
  type: "event-actions",
  attributes: { displayName: id, groupDisplayName: group },
});

/** A loopback /event-actions answering each cursor with `page(cursor)`; records the cursors asked. */
async function catalogue(page: (cursor: string) => unknown) {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    const cursor = new URL(req.url ?? "/", "http://x").searchParams.get("cursor") ?? "";
    asked.push(cursor);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(page(cursor)));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  closeAfterTest(() => new Promise<void>((done) => server.close(() => done())));
  const logs = capturedLogger();
  const client = new AtlassianClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    orgId: "org-1",
    apiKey: new Secret("k"),
    clock: new VirtualClock(Date.UTC(2026, 10, 2)),
    logger: logs.logger,
    maxWaitMs: 1000,
    timeoutMs: 2000,
    random: () => 0.5,
  });
  return { client, asked, logs };
}

describe("reading /event-actions page by page", () => {
  it("reads on past an empty page that names a next cursor", async () => {
    const pages: Record<string, unknown> = {
      "": { data: [row("user_logged_in", "User authentication")], links: { next: "?cursor=p2" } },
      p2: { data: [], meta: { next: "p3" }, links: { next: "?cursor=p3" } },
      p3: { data: [row("rovo_tool_called", "Rovo MCP User Actions")], links: {} },
    };
    const { client } = await catalogue((cursor) => pages[cursor]);
    const { actions } = await client.eventActions();
    expect(actions.map((a) => a.action)).toEqual(["user_logged_in", "rovo_tool_called"]);
  });

  it("stops at a cursor already asked, with what the pages held", async () => {
    const pages: Record<string, unknown> = {
      "": { data: [row("a", "g")], meta: { next: "p2" } },
      p2: { data: [], meta: { next: "p3" } },
      p3: { data: [row("b", "g")], meta: { next: "p2" } },
    };
    const { client, asked } = await catalogue((cursor) => pages[cursor]);
    expect(await client.eventActions()).toEqual({
      actions: [expect.objectContaining({ action: "a" }), expect.objectContaining({ action: "b" })],
      complete: true,
    });
    expect(asked).toEqual(["", "p2", "p3"]);
  });

  it("says so when it stops at the page cap with a next cursor still named", async () => {
    const { client, asked, logs } = await catalogue((cursor) => ({
      data: [row(`action_${cursor || "0"}`, "g")],
      meta: { next: `c${asked.length}` },
    }));
    const { actions, complete } = await client.eventActions();
    expect(asked).toHaveLength(MAX_ACTION_PAGES);
    expect(actions).toHaveLength(MAX_ACTION_PAGES);
    expect(complete).toBe(false);
    const warned = logs.lines().filter((line) => line.level === 40);
    expect(warned.map((line) => line.msg)).toEqual([
      expect.stringMatching(/event-actions.*after 100 pages/),
    ]);
  });
});
