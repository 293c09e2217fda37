import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DigestFigureStore } from "../../src/store/digest-figures.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { MINUTE } from "../../src/time-units.js";
import { mcpEvent, T0 } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

describe("digest figures by hour", () => {
  it("puts each call in its hour, whatever minute the period starts at", () => {
    const db = openStore(join(tempDir(), "digest.db"));
    const since = T0 + 17 * MINUTE + 123; // not on an hour, as an on-demand digest is
    const { seq: _s, ingestedAt: _i, ...base } = mcpEvent();
    const at = (minutes: number, id: string, toolClass: "read" | "write") => ({
      ...base,
      id,
      time: since + minutes * MINUTE,
      toolClass,
    });
    new EventStore(db).insertMany(
      [
        at(1, "a", "read"),
        at(59, "b", "read"),
        at(61, "c", "write"),
        at(23 * 60 + 30, "d", "read"),
      ],
      T0,
    );
    const hours = new DigestFigureStore(db).read(
      "org-1",
      since,
      since + 24 * 60 * MINUTE,
      () => "",
    ).hours;
    db.close();
    expect(hours).toHaveLength(24);
    expect(hours[0]).toMatchObject({ start: since, read: 2, write: 0 });
    expect(hours[1]).toMatchObject({ read: 0, write: 1 });
    expect(hours[23]).toMatchObject({ read: 1 });
    expect(hours.reduce((n, h) => n + h.read + h.write + h.search + h.destructive, 0)).toBe(4);
  });
});
