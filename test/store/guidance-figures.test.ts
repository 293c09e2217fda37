/** The figures `/mcp-activity settings` shows for the week: a real SQLite file. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { EventActionStore } from "../../src/store/event-actions.js";
import { EventStore } from "../../src/store/events.js";
import { GuidanceFigureStore } from "../../src/store/guidance-figures.js";
import { openStore } from "../../src/store/open.js";
import { DAY } from "../../src/time-units.js";
import { mcpEvent, T0 } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

describe("the people who started using MCP in the week", () => {
  it("are those whose first call through an app they connected is in it, seen live", () => {
    const db = openStore(join(tempDir(), "guidance.db"));
    const { seq: _s, ingestedAt: _i, ...base } = mcpEvent();
    let n = 0;
    const call = (userId: string, time: number, over: Partial<NormalizedEvent> = {}) => ({
      ...base,
      id: `e-${++n}`,
      userId,
      actorId: userId,
      time,
      ...over,
    });
    const since = T0 - 7 * DAY;
    new EventStore(db).insertMany(
      [
        call("acc-new", T0 - DAY),
        call("acc-new", T0 - 2 * DAY),
        call("acc-old", T0 - 30 * DAY),
        call("acc-old", T0 - DAY),
        call("acc-history", T0 - 3 * DAY, { backfilled: true }),
        call("acc-token", T0 - DAY, { authKind: "api-token" }),
        // A token's call before the week does not make their first app call older.
        call("acc-app-now", T0 - 20 * DAY, { authKind: "api-token" }),
        call("acc-app-now", T0 - DAY),
      ],
      T0,
    );
    expect(new GuidanceFigureStore(db).guidanceStats("org-1", since, T0).newPeople).toBe(2);
    db.close();
  });
});

describe("the MCP app's authorizations in the week", () => {
  it("are the events that authorize it, by the action's name in the catalogue or its key", () => {
    const db = openStore(join(tempDir(), "guidance.db"));
    new EventActionStore(db).replace(
      "org-1",
      [{ action: "k-17", displayName: "User authorized an app", groupName: "Connected apps" }],
      () => false,
      T0,
    );
    const act = (id: string, action: string, message: string, time = T0 - DAY) => {
      const {
        seq: _s,
        ingestedAt: _i,
        ...event
      } = mcpEvent({
        id,
        time,
        action,
        message,
        isMcp: false,
        tool: null,
        toolClass: null,
      });
      return event;
    };
    new EventStore(db).insertMany(
      [
        act("a", "k-17", "Bob authorized Atlassian MCP"),
        act("b", "oauth_app_authorized", "Bob authorized Atlassian MCP", T0 - 2 * DAY),
        act("c", "oauth_app_authorized", "Bob authorized Zapier"),
        act("d", "oauth_app_deauthorized", "Bob deauthorized Atlassian MCP"),
        act("e", "oauth_app_authorized", "Bob authorized Atlassian MCP", T0 - 8 * DAY),
      ],
      T0,
    );
    const stats = new GuidanceFigureStore(db).guidanceStats("org-1", T0 - 7 * DAY, T0);
    expect(stats.appAuthorizations).toBe(2);
    db.close();
  });
});
