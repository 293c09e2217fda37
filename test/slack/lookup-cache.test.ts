import { ErrorCode } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { LookupCache, PRUNE_AT, STALE_MS } from "../../src/slack/lookup-cache.js";
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

  it("drops old look-ups once it keeps many, and only those too old to answer", async () => {
    const c = cache();
    for (let i = 0; i < PRUNE_AT; i++) await c.get(`nobody-${i}`);
    c.clock.advance(TTL + STALE_MS - 1);
    await c.get("pat");
    expect(c.lookups.size).toBe(PRUNE_AT + 1); // stale, but still an answer while Slack fails
    c.clock.advance(1);
    await c.get("sam");
    expect(c.lookups.size).toBe(2); // the first thousand are too old even for that: dropped
  });

  it("shares one look-up between callers asking for the same key at once", async () => {
    const c = cache();
    const answers = await Promise.all(Array.from({ length: 20 }, () => c.get("pat")));
    expect(new Set(answers)).toEqual(new Set(["id-of-pat"]));
    expect(c.fetches()).toBe(1);
    c.clock.advance(TTL);
    await Promise.all([c.get("pat"), c.get("pat"), c.get("sam")]);
    expect(c.fetches()).toBe(3);
  });

  it("answers with the last look-up while new ones fail, for STALE_MS past its freshness", async () => {
    const clock = new VirtualClock(1_000_000);
    const lookups = new LookupCache<string>({ clock, ttlMs: TTL, notFound: "x", none: "" });
    let failing = false;
    const get = () =>
      lookups.get("pat", async () => {
        if (failing)
          throw Object.assign(new Error("ratelimited"), { code: ErrorCode.RateLimitedError });
        return `pat at ${clock.now()}`;
      });
    const first = await get();
    failing = true;
    clock.advance(TTL + STALE_MS - 1);
    expect(await get()).toBe(first);
    clock.advance(1);
    await expect(get()).rejects.toThrow("ratelimited");
    failing = false;
    expect(await get()).not.toBe(first);
  });
});
