import { describe, expect, it } from "vitest";
import { backoffMs, rateLimitWaitMs } from "../../src/atlassian/retry.js";

const now = Date.UTC(2026, 10, 2, 10, 0, 0);

describe("rateLimitWaitMs", () => {
  it("reads Retry-After in seconds", () => {
    expect(rateLimitWaitMs(new Headers({ "retry-after": "7" }), now)).toBe(7_000);
  });

  it("reads Retry-After as an HTTP date", () => {
    expect(
      rateLimitWaitMs(new Headers({ "retry-after": new Date(now + 12_000).toUTCString() }), now),
    ).toBe(12_000);
  });

  it("falls back to X-RateLimit-Reset, with or without seconds", () => {
    expect(
      rateLimitWaitMs(new Headers({ "x-ratelimit-reset": "2026-11-02T10:00:30.000Z" }), now),
    ).toBe(30_000);
    expect(rateLimitWaitMs(new Headers({ "x-ratelimit-reset": "2026-11-02T10:01Z" }), now)).toBe(
      60_000,
    );
  });

  it("prefers Retry-After over the reset time", () => {
    const headers = new Headers({
      "retry-after": "2",
      "x-ratelimit-reset": "2026-11-02T10:05:00Z",
    });
    expect(rateLimitWaitMs(headers, now)).toBe(2_000);
  });

  it("says nothing when the reset is past or nothing is sent", () => {
    expect(
      rateLimitWaitMs(new Headers({ "x-ratelimit-reset": "2026-11-02T09:59Z" }), now),
    ).toBeUndefined();
    expect(rateLimitWaitMs(new Headers(), now)).toBeUndefined();
    expect(rateLimitWaitMs(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
  });
});

describe("backoffMs", () => {
  it("doubles per attempt between half and all of the ceiling, capped at 30 s", () => {
    expect(backoffMs(0, () => 0)).toBe(500);
    expect(backoffMs(0, () => 1)).toBe(1_000);
    expect(backoffMs(3, () => 0.5)).toBe(6_000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
  });
});
