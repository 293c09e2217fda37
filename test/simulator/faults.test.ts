import { describe, expect, it } from "vitest";
import {
  type ErrorBody,
  get,
  INTERVAL,
  idOf,
  page,
  START,
  simulator,
  streamPath,
} from "./helpers.js";

describe("simulator: fault injection", () => {
  it("answers 429 with Retry-After, once", async () => {
    const { sim } = await simulator(5);
    sim.injectFault({ kind: "rate-limit", retryAfterSeconds: 30 });
    const limited = await get(sim, streamPath(sim));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("30");
    expect(limited.headers.get("x-ratelimit-reset")).toBeNull();
    expect(((await limited.json()) as ErrorBody).errors[0]).toMatchObject({
      status: "429",
      code: "ADMIN-429-1",
    });
    expect((await get(sim, streamPath(sim))).status).toBe(200);
    expect(sim.requests.map((r) => [r.status, r.fault])).toEqual([
      [429, "rate-limit"],
      [200, undefined],
    ]);
  });

  it("answers 429 with only X-RateLimit-Reset (ISO 8601, optionally to the minute), or no header", async () => {
    const { sim, clock } = await simulator(5);
    clock.set(Date.UTC(2026, 2, 1, 10, 0, 10, 500));
    sim.injectFault({ kind: "rate-limit", resetAfterSeconds: 20 });
    sim.injectFault({ kind: "rate-limit", resetAfterSeconds: 20, resetToMinute: true });
    sim.injectFault({ kind: "rate-limit" });
    const reset = await get(sim, streamPath(sim));
    expect(reset.headers.get("x-ratelimit-reset")).toBe("2026-03-01T10:00:30.500Z");
    expect(reset.headers.get("retry-after")).toBeNull();
    const minute = await get(sim, streamPath(sim));
    expect(minute.headers.get("x-ratelimit-reset")).toBe("2026-03-01T10:01Z");
    const bare = await get(sim, streamPath(sim));
    expect(bare.status).toBe(429);
    for (const header of [
      "retry-after",
      "x-ratelimit-reset",
      "x-ratelimit-limit",
      "x-ratelimit-remaining",
    ]) {
      expect(bare.headers.get(header)).toBeNull();
    }
  });

  it("applies a fault to the next N matching requests, by default only on events-stream", async () => {
    const { sim } = await simulator(5);
    sim.injectFault({ kind: "server-error" }, { times: 2 });
    expect(sim.pendingFaults).toBe(2);
    expect((await get(sim, "/admin/v1/orgs")).status).toBe(200);
    const failed = await get(sim, streamPath(sim));
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as ErrorBody).errors[0]?.code).toBe("ADMIN-500-1");
    expect((await get(sim, streamPath(sim))).status).toBe(500);
    expect((await get(sim, streamPath(sim))).status).toBe(200);

    sim.injectFault({ kind: "status", status: 502 }, { scope: "any" });
    const proxy = await get(sim, "/admin/v1/orgs");
    expect(proxy.status).toBe(502);
    expect(proxy.headers.get("content-type")).toContain("text/html");
    sim.injectFault({ kind: "server-error" });
    sim.clearFaults();
    expect((await get(sim, streamPath(sim))).status).toBe(200);
  });

  it("delays a response past a client timeout, then answers normally", async () => {
    const { sim } = await simulator(5);
    sim.injectFault({ kind: "delay", ms: 400 }, { times: 2 });
    await expect(
      get(sim, streamPath(sim), {}, undefined, { signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow();
    const started = Date.now();
    const slow = await get(sim, streamPath(sim));
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(slow.status).toBe(200);
    expect((await page(sim)).data).toHaveLength(5);
  });

  it("truncates the JSON body, or cuts the connection mid-body", async () => {
    const { sim } = await simulator(50);
    sim.injectFault({ kind: "truncated" });
    const cut = await get(sim, streamPath(sim));
    expect(cut.status).toBe(200);
    await expect(cut.json()).rejects.toThrow(SyntaxError);
    sim.injectFault({ kind: "truncated", abort: true });
    await expect(get(sim, streamPath(sim)).then((r) => r.text())).rejects.toThrow();
    expect((await page(sim)).data).toHaveLength(50);
  });

  it("serves garbage pages whose next cursor does not skip anything", async () => {
    const { sim } = await simulator(30);
    const first = await page(sim, { limit: 10 });
    const cursor = first.meta.next ?? "";
    sim.injectFault({ kind: "garbage", variant: "data-not-array" });
    const notArray = (await page(sim, { cursor })) as unknown as { data: unknown };
    expect(Array.isArray(notArray.data)).toBe(false);

    sim.injectFault({ kind: "garbage", variant: "string-items" });
    const strings = await page(sim, { cursor });
    expect(strings.data.every((item) => typeof item === "string")).toBe(true);

    sim.injectFault({ kind: "garbage", variant: "missing-fields" });
    const missing = await page(sim, { cursor });
    for (const item of missing.data as Record<string, Record<string, unknown>>[]) {
      const complete =
        typeof item.id === "string" && item.attributes?.time && item.attributes?.action;
      expect(complete).toBeFalsy();
    }
    const resumed = await page(sim, { cursor: missing.meta.next ?? "", limit: 10 });
    expect(resumed.data.map(idOf)).toEqual(
      Array.from({ length: 10 }, (_, k) => sim.org.idAt(10 + k)),
    );
  });

  it("repeats the previous page's last events at the start of the next page", async () => {
    const { sim } = await simulator(40);
    const first = await page(sim, { limit: 10 });
    sim.injectFault({ kind: "duplicates", count: 3 });
    const second = await page(sim, { cursor: first.meta.next ?? "", limit: 10 });
    expect(second.data.slice(0, 3).map(idOf)).toEqual(first.data.slice(7).map(idOf));
    expect(second.data.slice(3).map(idOf)).toEqual(
      Array.from({ length: 10 }, (_, k) => sim.org.idAt(10 + k)),
    );

    sim.setDuplicateOverlap(2);
    const third = await page(sim, { cursor: second.meta.next ?? "", limit: 10 });
    expect(third.data.slice(0, 2).map(idOf)).toEqual(second.data.slice(-2).map(idOf));
    expect((await page(sim, { limit: 5 })).data.map(idOf)).toEqual(
      [0, 1, 2, 3, 4].map((i) => sim.org.idAt(i)),
    );
  });
});

describe("simulator: injected events", () => {
  it("streams injected items after what is already visible, valid or not", async () => {
    const { sim, clock } = await simulator(5);
    const cursor = (await page(sim)).meta.next ?? "";
    const valid = {
      id: "injected-1",
      type: "events",
      attributes: { time: "2026-03-01T00:00:01Z", action: "rovo_mcp_tool_called" },
    };
    const duplicate = { ...sim.org.eventAt(2) };
    sim.injectEvents([valid, "garbage", { id: "no-time", attributes: { action: "x" } }, duplicate]);
    const body = await page(sim, { cursor });
    expect(body.data).toHaveLength(4);
    expect(body.data[0]).toEqual({
      ...valid,
      attributes: { ...valid.attributes, processedAt: new Date(clock.now()).toISOString() },
    });
    expect(body.data[1]).toBe("garbage");
    expect(body.data[3]).toEqual(duplicate); // already has a processedAt: kept as it was

    expect(sim.countValidEventsUpTo()).toBe(6);
    expect([...sim.validEventsUpTo()].map((e) => e.id)).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => sim.org.idAt(i)),
      "injected-1",
    ]);
    const one = await get(sim, `/admin/v1/orgs/${sim.orgId}/events/injected-1`);
    expect(((await one.json()) as { data: { id: string } }).data.id).toBe("injected-1");

    // The next generated event comes after the injected ones.
    clock.set(START + 5 * INTERVAL);
    const later = await page(sim, { cursor: body.meta.next ?? "" });
    expect(later.data.map(idOf)).toEqual([sim.org.idAt(5)]);
  });

  it("counts an injected copy of a future event once", async () => {
    const { sim, clock } = await simulator(5);
    const future = sim.org.eventAt(8);
    sim.injectEvents([future]);
    expect(sim.countValidEventsUpTo()).toBe(6);
    clock.set(START + 9 * INTERVAL);
    expect(sim.countValidEventsUpTo()).toBe(10);
    const ids = [...sim.validEventsUpTo()].map((e) => e.id);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    expect(ids.indexOf(future.id)).toBe(5); // where it first appeared
  });
});
