/**
 * `/mcp-activity settings` says what its figures leave out, as queries do: the first poll still
 * reading the history, and days retention deleted. Real Bolt, signed commands, real SQLite.
 */
import { describe, expect, it } from "vitest";
import { Pruner } from "../../../src/retention/pruner.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { T0 } from "../../detect/fixtures.js";
import { commandRig } from "./command-rig.js";

const ask = async (r: Awaited<ReturnType<typeof commandRig>>, text: string, user = "URESP") =>
  JSON.stringify(await (await r.command(text, user)).body());

const token = { authKind: "api-token" as const, userId: "svc" };

describe("/mcp-activity settings: what its figures leave out", () => {
  it("says the first poll is still reading the history", async () => {
    const r = await commandRig([{ time: T0 - HOUR, ...token }]);
    r.stores.pollStates.save(
      {
        orgId: "org-1",
        cursor: null,
        lastProcessedAt: T0 - 6 * DAY,
        backfillFrom: T0 - 7 * DAY,
        backfillUntil: T0,
        backfillDone: false,
      },
      T0,
    );
    const settings = await ask(r, "settings api-tokens");
    expect(settings).toContain("1 MCP call in the last 7 days used API tokens");
    expect(settings).toContain(
      "The first poll is still reading the audit log's history, so this is not all of it yet",
    );
    // Someone who is no responder sees no figure, and so no note about them.
    expect(await ask(r, "settings", "UALICE")).not.toContain("The first poll");
  });

  it("says retention deleted part of the 7 days", async () => {
    const r = await commandRig([
      { id: "old", time: T0 - 5 * DAY, processedAt: T0 - 5 * DAY, ...token },
      { id: "new", time: T0 - HOUR, ...token },
    ]);
    // The rules have judged both, as the bot does before retention may delete them.
    r.stores.alerts.setLastEvaluated("org-1", r.stores.events.maxSeq("org-1"), T0);
    const pruner = { stores: r.stores, clock: r.clock, logger: r.logs.logger, retentionDays: 3 };
    await new Pruner(pruner).pruneOnce();
    const settings = await ask(r, "settings");
    expect(settings).toContain("1 MCP call in the last 7 days used API tokens");
    expect(settings).toMatch(
      /Events before <!date\^\d+\^[^|]+\|[^>]+> were deleted by retention \(`RETENTION_DAYS`\): only what was kept of that time is counted\./,
    );
    expect(settings).not.toContain("The first poll");
  });
});
