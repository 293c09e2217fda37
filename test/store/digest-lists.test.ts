import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDigest, digestText } from "../../src/digest/build.js";
import { EventActionStore } from "../../src/store/event-actions.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { event, person, setup } from "../detect/engine-rig.js";
import { MCP_TOOL_CALLED, T0 } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert } from "./setup.js";

const UNTIL = Date.UTC(2026, 10, 25, 9);
const SINCE = UNTIL - DAY;
const health = { lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null };

/**
 * Changes group into one alert per person per grouping window, authorizations too: the digest
 * names each ("20 settings changes are named, and the counts are always of all of them").
 */
describe("the digest's lists of settings changes and MCP app authorizations", () => {
  it("say how many they leave out past the first 20", () => {
    const db = openStore(join(tempDir(), "lists.db"));
    const stores = repositories(db);
    // 50 events an hour before the period's end, each an alert's (seq 1 to 50).
    const at = UNTIL - HOUR;
    const events = Array.from({ length: 50 }, () => event({ time: at, processedAt: at }));
    db.transaction(() => stores.events.insertMany(events, at))();
    for (let i = 0; i < 25; i++) {
      const linked = (seq: number) => ({
        firstEventSeq: seq,
        lastEventSeq: seq,
        firstSeen: at,
        lastSeen: at,
        createdAt: at,
      });
      stores.alerts.insert(
        newAlert({
          ruleId: "mcp-settings-changed",
          severity: "medium",
          groupKey: `settings-${i}`,
          title: `AI setting ${i} changed by Mallory`,
          ...linked(2 * i + 1),
        }),
      );
      stores.alerts.insert(
        newAlert({
          ruleId: "mcp-app-authorized",
          severity: "medium",
          groupKey: `app-${i}`,
          title: `User ${i} authorized Atlassian MCP`,
          ...linked(2 * i + 2),
        }),
      );
    }
    const day = stores.digestFigures.read("org-1", SINCE, UNTIL, () => "x", {
      bucketMs: HOUR,
      previousSince: SINCE - DAY,
    });
    expect([day.settingsChangeCount, day.appAuthorizationCount]).toEqual([25, 25]);
    const text = digestText(buildDigest({ ...day, health }, { kind: "daily", late: false }));
    expect(text).toContain("AI setting 19 changed by Mallory\n…and 5 more");
    expect(text).toContain("User 19 authorized Atlassian MCP\n…and 5 more");
  });

  it("name each change and authorization, not one per alert: an admin's three changes in one sitting", () => {
    const s = setup();
    new EventActionStore(s.db).replace(
      "org-1",
      [
        MCP_TOOL_CALLED,
        {
          action: "dsp_updated",
          displayName: "Data security policy updated",
          groupName: "Data security policies",
        },
        {
          action: "mcp_domains_updated",
          displayName: "MCP allowed domains updated",
          groupName: "Rovo MCP server",
        },
        {
          action: "mcp_auth_updated",
          displayName: "MCP authentication settings changed",
          groupName: "Rovo MCP server",
        },
      ],
      () => false,
      T0,
    );
    const admin = (id: string, action: string, at: number) =>
      event({
        id,
        isMcp: false,
        mcpBasis: null,
        tool: null,
        toolClass: null,
        action,
        time: at,
        processedAt: at,
      });
    const authorized = (id: string, site: string, at: number) =>
      event({
        ...person("acc-nina", "nina@acme.test"),
        id,
        action: "mcp_app_authorized",
        mcpBasis: "guessed",
        tool: null,
        toolClass: null,
        clientApp: null,
        siteHost: site,
        message: `nina@acme.test authorized Atlassian MCP for ${site}`,
        time: at,
        processedAt: at,
      });
    // One admin, three controls, five minutes; Nina authorizes the app on two sites.
    s.store([
      admin("set-1", "dsp_updated", T0),
      admin("set-2", "mcp_domains_updated", T0 + 2 * MINUTE),
      admin("set-3", "mcp_auth_updated", T0 + 5 * MINUTE),
      authorized("auth-1", "acme.atlassian.net", T0 + MINUTE),
      authorized("auth-2", "acme-eng.atlassian.net", T0 + 3 * MINUTE),
    ]);
    s.clock.advance(6 * MINUTE);
    s.engine().run();
    const perRule = (rule: string) => s.alerts().filter((a) => a.ruleId === rule).length;
    expect([perRule("mcp-settings-changed"), perRule("mcp-app-authorized")]).toEqual([1, 1]);
    const until = T0 + HOUR;
    const day = repositories(s.db).digestFigures.read("org-1", until - DAY, until, () => "x", {
      bucketMs: HOUR,
      previousSince: until - 2 * DAY,
    });
    expect(day.settingsChangeCount).toBe(3);
    expect(day.settingsChanges.map((c) => c.title.replace(/ by .*/, ""))).toEqual([
      "Data security policy updated",
      "MCP allowed domains updated",
      "MCP authentication settings changed",
    ]);
    expect(day.appAuthorizationCount).toBe(2);
    expect(day.appAuthorizations.map((c) => c.title.replace(/.* on /, ""))).toEqual([
      "acme.atlassian.net",
      "acme-eng.atlassian.net",
    ]);
    const text = digestText(buildDigest({ ...day, health }, { kind: "daily", late: false }));
    expect(text).toContain("MCP allowed domains updated by");
    expect(text).toContain("MCP authentication settings changed by");
  });

  it("count each change in the period it was made, a sitting across the period's end in both", () => {
    const s = setup();
    const admin = (id: string, at: number) =>
      event({
        id,
        isMcp: false,
        mcpBasis: null,
        tool: null,
        toolClass: null,
        action: "dsp_updated",
        time: at,
        processedAt: at,
      });
    const until = T0 + HOUR;
    // One change two minutes before the period's end, judged then.
    s.clock.advance(until - 2 * MINUTE - T0);
    s.store([admin("set-1", until - 2 * MINUTE)], s.clock.now());
    s.engine().run();
    // Two more just after it, in the next period: the same sitting, so the same alert.
    s.clock.advance(5 * MINUTE);
    s.store([admin("set-2", until + MINUTE), admin("set-3", until + 3 * MINUTE)], s.clock.now());
    s.engine().run();
    expect(s.alerts().filter((a) => a.ruleId === "mcp-settings-changed")).toHaveLength(1);
    const counted = (end: number) =>
      repositories(s.db).digestFigures.read("org-1", end - DAY, end, () => "x", {
        bucketMs: HOUR,
        previousSince: end - 2 * DAY,
      }).settingsChangeCount;
    expect({ first: counted(until), next: counted(until + DAY) }).toEqual({ first: 1, next: 2 });
  });
});
