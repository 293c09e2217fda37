/**
 * The chart draws each call under the class the text counts it in: admin calls are their own
 * class, not destructive. The figures from a real SQLite file written by the store; the chart's
 * spec by value.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { activityChartSpec } from "../../src/digest/chart.js";
import type { NormalizedEvent, ToolClass } from "../../src/domain/event.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";
import { SINCE } from "./dry-run-of.js";

function call(hour: number, tool: string, toolClass: ToolClass): NormalizedEvent {
  const base = normalizedEvent();
  const time = SINCE + hour * HOUR;
  return { ...base, id: `call-${hour}`, time, processedAt: time + 5_000, tool, toolClass };
}

const CLASSES = ["read", "search", "write", "destructive", "admin", "other"] as const;

describe("the digest chart's classes", () => {
  it("total what the text counts by class: admin calls as admin", () => {
    const stores = repositories(openStore(join(tempDir(), "classes.db")));
    stores.events.insertMany(
      [
        call(3, "createJiraProject", "admin"),
        call(4, "createJiraProject", "admin"),
        call(5, "deleteJiraIssue", "destructive"),
        call(6, "getJiraIssue", "read"),
      ],
      SINCE + 2 * DAY,
    );
    const data = stores.digestFigures.read("org-1", SINCE, SINCE + DAY, () => "", {
      bucketMs: HOUR,
      previousSince: SINCE - DAY,
    });
    expect(data.byClass).toEqual({ admin: 2, destructive: 1, read: 1 });
    const drawn = Object.fromEntries(
      CLASSES.map((c) => [c, data.buckets.reduce((n, b) => n + b[c], 0)]),
    );
    expect(drawn).toEqual({ read: 1, search: 0, write: 0, destructive: 1, admin: 2, other: 0 });
  });

  it("have a colour and a legend entry for admin only when there were admin calls", () => {
    const bucket = { start: SINCE, read: 1, search: 0, write: 0, destructive: 1, other: 0 };
    const options = { title: "MCP calls per hour, by tool class (UTC)", timeZone: "UTC" };
    const domain = (admin: number) => {
      const spec = activityChartSpec([{ ...bucket, admin }], options);
      const color = "encoding" in spec ? spec.encoding?.color : undefined;
      return color && "scale" in color ? color.scale?.domain : undefined;
    };
    expect(domain(2)).toEqual(["read", "search", "write", "destructive", "admin", "other"]);
    expect(domain(0)).toEqual(["read", "search", "write", "destructive", "other"]);
  });
});
