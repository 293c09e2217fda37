import { ErrorCode } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { LookupCache, PRUNE_AT } from "../../src/slack/lookup-cache.js";
import { VirtualClock } from "../fakes/virtual-clock.js";

const TTL = 60_000;
const notFound = () =>
  Object.assign(new Error("users_not_found"), {
    code: ErrorCode.PlatformError,
    data: { error: "users_not_found" },
  });

function cache() {
  const clock = new VirtualClock(1_000_000);
  const lookups = new LookupCache<string | null>({
    clock,
    ttlMs: TTL,
    notFound: "users_not_found",
    none: null,
  });
  let fetches = 0;
  const get = (key: string) =>
    lookups.get(key, async () => {
      fetches++;
      if (key.startsWith("nobody")) throw notFound();
      if (key === "broken") throw new Error("socket hang up");
      return `id-of-${key}`;
    });
  return { clock, lookups, get, fetches: () => fetches };
}

describe("LookupCache", () => {
  it("looks a key up once while it is fresh, someone unknown too, and again once stale", async () => {
    const c = cache();
    expect(await c.get("pat")).toBe("id-of-pat");
    expect(await c.get("nobody")).toBeNull();
    c.clock.advance(TTL - 1);
    expect(await c.get("pat")).toBe("id-of-pat");
    expect(await c.get("nobody")).toBeNull();
    expect(c.fetches()).toBe(2);
    c.clock.advance(1);
    await c.get("pat");
    expect(c.fetches()).toBe(3);
  });

  it("throws other failures and keeps nothing for them", async () => {
    const c = cache();
    await expect(c.get("broken")).rejects.toThrow("socket hang up");
    await expect(c.get("broken")).rejects.toThrow("socket hang up");
    expect(c.fetches()).toBe(2);
    expect(c.lookups.size).toBe(0);
  });

  it("drops stale look-ups once it keeps many, and only stale ones", async () => {
    const c = cache();
    for (let i = 0; i < PRUNE_AT; i++) await c.get(`nobody-${i}`);
    c.clock.advance(TTL - 1);
    await c.get("pat");
    expect(c.lookups.size).toBe(PRUNE_AT + 1); // none stale yet: all kept
    c.clock.advance(1);
    await c.get("sam");
    expect(c.lookups.size).toBe(2); // the first thousand went stale: dropped
  });
});
