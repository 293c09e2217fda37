import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDigest, digestText } from "../../src/digest/build.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const UNTIL = Date.UTC(2026, 10, 25, 9);
const SINCE = UNTIL - DAY;
const health = { lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null };

describe("MCP calls that name no tool, in the digest", () => {
  it("count in the split and the sparkline, and their person is a first-timer", () => {
    const db = openStore(join(tempDir(), "n.db"));
    const stores = repositories(db);
    const base = normalizedEvent();
    const dan = { ...base, userId: "acc-dan", actorId: "acc-dan", userName: "Dan New" };
    stores.events.insertMany(
      [0, 1, 2].map((i) => ({
        ...dan,
        id: `d-${i}`,
        time: SINCE + HOUR * (i + 1),
        tool: null,
        toolClass: null,
      })),
      UNTIL,
    );
    const day = stores.digestFigures.read("org-1", SINCE, UNTIL, () => "x", {
      bucketMs: HOUR,
      previousSince: SINCE - DAY,
    });
    expect(day.firstTimerCount).toBe(1);
    expect(day.buckets.reduce((n, b) => n + b.other, 0)).toBe(3);
    const text = digestText(buildDigest({ ...day, health }, { kind: "daily", late: false }));
    expect(text).toContain("read 0 · search 0 · write 0 · destructive 0 · other 3");
    expect(text).toContain("Dan New");
    expect(text).not.toMatch(/`▁+`/); // the sparkline shows them
    db.close();
  });
});
