import { describe, expect, it } from "vitest";
import { startSimulator } from "../../src/simulator/index.js";
import {
  API_KEY,
  drain,
  type ErrorBody,
  get,
  INTERVAL,
  idOf,
  page,
  START,
  simulator,
  streamPath,
} from "./helpers.js";

describe("simulator: events-stream paging", () => {
  it("pages through every visible event once, in processedAt order", async () => {
    const { sim, clock } = await simulator(1234);
    const { items, pages } = await drain(sim, { limit: 500 });
    expect(pages).toBe(4); // 500 + 500 + 234 + the empty page
    expect(items.map(idOf)).toEqual([...sim.validEventsUpTo()].map((e) => e.id));
    expect(items).toHaveLength(sim.countValidEventsUpTo(clock.now()));
    const processed = items.map((e) =>
      Date.parse((e as { attributes: { processedAt: string } }).attributes.processedAt),
    );
    for (let k = 1; k < processed.length; k++)
      expect(processed[k]).toBeGreaterThan(processed[k - 1] ?? 0);
  });

  it("answers the documented page wrapper with a default limit of 200", async () => {
    const { sim } = await simulator(1000);
    const body = await page(sim, {});
    expect(body.data).toHaveLength(200);
    expect(body.meta.page_size).toBe(200);
    expect(typeof body.meta.next).toBe("string");
    expect(body.links.next).toContain(`cursor=${body.meta.next}`);
    expect(body.links.next?.startsWith(`${sim.url}${streamPath(sim)}?`)).toBe(true);
    expect((await page(sim, { limit: 500 })).data).toHaveLength(500);
    expect((await page(sim, { sortOrder: "asc", limit: 1 })).data).toHaveLength(1);
  });

  it("keeps the last cursor working: it returns what became visible later", async () => {
    const { sim, clock } = await simulator(10);
    const first = await drain(sim, { limit: 100 });
    expect(first.items).toHaveLength(10);
    const again = await page(sim, { cursor: first.cursor });
    expect(again.data).toEqual([]);
    expect(again.meta.next).toBe(first.cursor); // an empty page keeps the position

    clock.advance(5 * INTERVAL);
    const later = await page(sim, { cursor: first.cursor });
    expect(later.data.map(idOf)).toEqual([10, 11, 12, 13, 14].map((i) => sim.org.idAt(i)));
    clock.advance(INTERVAL - 1);
    expect((await page(sim, { cursor: later.meta.next ?? "" })).data).toEqual([]);
    clock.advance(1);
    expect((await page(sim, { cursor: later.meta.next ?? "" })).data.map(idOf)).toEqual([
      sim.org.idAt(15),
    ]);
  });

  it("filters on processedAt with from and to (inclusive); with a cursor, from is ignored", async () => {
    const { sim } = await simulator(1000);
    const from = START + 100 * INTERVAL;
    const to = START + 199 * INTERVAL;
    const body = await page(sim, { from, to, limit: 500 });
    expect(body.data.map(idOf)).toEqual(
      Array.from({ length: 100 }, (_, k) => sim.org.idAt(100 + k)),
    );
    const rest = await page(sim, { cursor: body.meta.next ?? "", to });
    expect(rest.data).toEqual([]);
    const firstTen = await page(sim, { limit: 10 });
    const ignoringFrom = await page(sim, { cursor: firstTen.meta.next ?? "", from, limit: 1 });
    expect(ignoringFrom.data.map(idOf)).toEqual([sim.org.idAt(10)]);
    expect((await page(sim, { from: from - 1, limit: 1 })).data.map(idOf)).toEqual([
      sim.org.idAt(100),
    ]);
  });

  it("rejects bad parameters in the documented error shape", async () => {
    const { sim } = await simulator(10);
    const cases: [Record<string, string | number>, string][] = [
      [{ limit: 501 }, "ADMIN-400-2"],
      [{ limit: 0 }, "ADMIN-400-2"],
      [{ limit: "ten" }, "ADMIN-400-2"],
      [{ sortOrder: "desc" }, "ADMIN-400-2"],
      [{ from: "yesterday" }, "ADMIN-400-3"],
      [{ to: "-5" }, "ADMIN-400-3"],
      [{ from: 10, to: 5 }, "ADMIN-400-3"],
      [{ cursor: "not-a-cursor" }, "ADMIN-400-1"],
    ];
    for (const [query, code] of cases) {
      const response = await get(sim, streamPath(sim), query);
      expect(response.status, JSON.stringify(query)).toBe(400);
      const body = (await response.json()) as ErrorBody;
      expect(body.errors[0]).toMatchObject({ status: "400", code, title: "Bad Request" });
    }
  });

  it("rejects forged cursors, and every earlier cursor after expireCursors()", async () => {
    const { sim } = await simulator(100);
    const cursor = (await page(sim, { limit: 10 })).meta.next ?? "";
    const decoded = Buffer.from(cursor, "base64url").toString("utf8");
    const forged = Buffer.from(decoded.replace(/^0\./, "0.9"), "utf8").toString("base64url");
    expect((await get(sim, streamPath(sim), { cursor: forged })).status).toBe(400);

    sim.expireCursors();
    const response = await get(sim, streamPath(sim), { cursor });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).errors[0]?.code).toBe("ADMIN-400-1");
    const fresh = (await page(sim, { limit: 10 })).meta.next ?? "";
    expect((await page(sim, { cursor: fresh, limit: 5 })).data.map(idOf)).toEqual(
      [10, 11, 12, 13, 14].map((i) => sim.org.idAt(i)),
    );
  });
});

describe("simulator: other endpoints", () => {
  it("lists the org, the action catalog and single events", async () => {
    const { sim, clock } = await simulator(50, { orgName: "Acme Corp" });
    const orgs = (await (await get(sim, "/admin/v1/orgs")).json()) as unknown;
    expect(orgs).toEqual({
      data: [{ id: "org-test", type: "orgs", attributes: { name: "Acme Corp" } }],
      links: {},
    });

    const actions = (await (
      await get(sim, `/admin/v1/orgs/${sim.orgId}/event-actions`)
    ).json()) as {
      data: {
        id: string;
        type: string;
        attributes: { displayName: string; groupDisplayName?: string };
      }[];
    };
    expect(actions.data).toEqual(sim.org.catalog);
    expect(
      actions.data.find((a) => a.attributes.groupDisplayName === "Rovo MCP User Actions")?.id,
    ).toBe("rovo_mcp_tool_called");

    const id = sim.org.idAt(49);
    const one = await get(sim, `/admin/v1/orgs/${sim.orgId}/events/${id}`);
    expect(await one.json()).toEqual({ data: sim.org.eventAt(49) });
    const future = await get(sim, `/admin/v1/orgs/${sim.orgId}/events/${sim.org.idAt(50)}`);
    expect(future.status).toBe(404);
    clock.advance(INTERVAL);
    expect((await get(sim, `/admin/v1/orgs/${sim.orgId}/events/${sim.org.idAt(50)}`)).status).toBe(
      200,
    );
    expect((await get(sim, `/admin/v1/orgs/${sim.orgId}/events/nope`)).status).toBe(404);
  });

  it("sends rate-limit headers on normal responses", async () => {
    const { sim } = await simulator(5, { rateLimitPerMinute: 100 });
    const first = await get(sim, streamPath(sim));
    const second = await get(sim, streamPath(sim));
    expect(first.headers.get("x-ratelimit-limit")).toBe("100");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("99");
    expect(second.headers.get("x-ratelimit-remaining")).toBe("98");
    expect(first.headers.get("x-ratelimit-reset")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
  });
});

describe("simulator: authentication and authorization", () => {
  async function error(response: Response): Promise<ErrorBody["errors"][number] | undefined> {
    return ((await response.json()) as ErrorBody).errors[0];
  }

  it("answers 401 without a key or with a wrong one, and records both", async () => {
    const { sim } = await simulator(5);
    const missing = await get(sim, streamPath(sim), {}, null);
    expect(missing.status).toBe(401);
    expect(await error(missing)).toMatchObject({
      status: "401",
      code: "ADMIN-401-1",
      title: "Unauthorized",
    });
    const wrong = await get(sim, "/admin/v1/orgs", {}, "wrong-key");
    expect(wrong.status).toBe(401);
    await get(sim, streamPath(sim), { limit: 3 });
    expect(
      sim.requests.map((r) => [r.path, r.authorizationPresent, r.authorized, r.status]),
    ).toEqual([
      [streamPath(sim), false, false, 401],
      ["/admin/v1/orgs", true, false, 401],
      [streamPath(sim), true, true, 200],
    ]);
    expect(sim.requests[2]?.query).toEqual({ limit: "3" });
    expect(sim.requests[2]?.method).toBe("GET");
  });

  it("answers 403 ADMIN-403-3 while forbidden, 404 ADMIN-404-2 for another org", async () => {
    const { sim } = await simulator(5);
    sim.setForbidden(true);
    const forbidden = await get(sim, streamPath(sim));
    expect(forbidden.status).toBe(403);
    expect(await error(forbidden)).toMatchObject({ code: "ADMIN-403-3" });
    sim.setForbidden(false);
    const other = await get(sim, "/admin/v1/orgs/someone-else/events-stream");
    expect(other.status).toBe(404);
    expect(await error(other)).toMatchObject({ status: "404", code: "ADMIN-404-2" });
  });

  it("follows a key rotation", async () => {
    const { sim } = await simulator(5);
    sim.setApiKey("new-key");
    expect((await get(sim, streamPath(sim), {}, API_KEY)).status).toBe(401);
    expect((await get(sim, streamPath(sim), {}, "new-key")).status).toBe(200);
  });
});

describe("simulator: its port", () => {
  it("says a port in use as the --port to change, not as a stack trace", async () => {
    const { sim } = await simulator(10);
    await expect(
      startSimulator({ apiKey: API_KEY, start: START, intervalMs: INTERVAL, port: sim.port }),
    ).rejects.toThrow(
      `--port ${sim.port} is in use on 127.0.0.1: stop what listens there, or choose another port with --port`,
    );
  });
});
