import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ActivityFilter } from "../../src/domain/activity.js";
import { notMeCover } from "../../src/slack/people/not-me-said.js";
import { ActivityStore } from "../../src/store/activity.js";
import { AlertStore } from "../../src/store/alerts.js";
import type { Db } from "../../src/store/db.js";
import { DeliveryStore } from "../../src/store/deliveries.js";
import { DigestFigureStore } from "../../src/store/digest-figures.js";
import { EventStore } from "../../src/store/events.js";
import { FollowUpStore } from "../../src/store/followups.js";
import { GuidanceFigureStore } from "../../src/store/guidance-figures.js";
import { HomeStore } from "../../src/store/home.js";
import { HomeRefreshStore } from "../../src/store/home-refresh.js";
import { openStore } from "../../src/store/open.js";
import { RetentionStore } from "../../src/store/retention.js";
import { WeeklyFigureStore } from "../../src/store/weekly-figures.js";
import { anAlert, normalizedEvent } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert } from "./setup.js";

interface Plan {
  readonly sql: string;
  readonly plan: string;
}

/**
 * A connection whose statements each say, when run, how SQLite runs them: the plan of every
 * statement the stores built on it execute, on a file SQLite has no statistics of (as the bot's).
 */
function explaining(db: Db): { db: Db; plans: Plan[] } {
  const plans: Plan[] = [];
  const spy = Object.assign(Object.create(db) as Db, {
    prepare: (sql: string) => {
      const statement = db.prepare(sql);
      return new Proxy(statement, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, target);
          if (typeof value !== "function") return value;
          // A plucked statement is the same statement: still watched.
          if (property === "pluck")
            return (...args: unknown[]) => {
              value.apply(target, args);
              return receiver;
            };
          if (!["get", "all", "run", "iterate"].includes(String(property)))
            return value.bind(target);
          return (...args: unknown[]) => {
            const details = db
              .prepare(`EXPLAIN QUERY PLAN ${sql}`)
              .all(...args)
              .map((row) => (row as { detail: string }).detail);
            plans.push({ sql, plan: details.join(" | ") });
            return value.apply(target, args);
          };
        },
      });
    },
  });
  return { db: spy, plans };
}

/** The plan of the one statement run by `read` that reads `table`. */
function planOf(plans: Plan[], read: () => unknown, table: string): string {
  const from = plans.length;
  read();
  const ran = plans.slice(from).filter((p) => new RegExp(`\\b${table}\\b`).test(p.sql));
  expect(ran).toHaveLength(1);
  return ran[0]?.plan ?? "";
}

describe("reads on timers and views go through what is pending or asked for, not the history", () => {
  const real = openStore(join(tempDir(), "plans.db"));
  const { db, plans } = explaining(real);
  const alerts = new AlertStore(db);
  const deliveries = new DeliveryStore(db);
  const followUps = new FollowUpStore(db);
  const home = new HomeStore(db);
  const homeRefresh = new HomeRefreshStore(db);
  const retention = new RetentionStore(db);
  const activity = new ActivityStore(db);

  it("the follow-ups' pass: the posted alerts not followed up yet", () => {
    expect(planOf(plans, () => followUps.unseen("o"), "deliveries")).toMatch(
      /^SEARCH d USING INDEX deliveries_unfollowed \(org_id=\?\)/,
    );
  });

  it("a finding's open group: one look-up of the summaries, not a list of them", () => {
    const plan = planOf(plans, () => alerts.findGroup("o", "g", 0, 0), "alerts");
    expect(plan).toMatch(/^SEARCH alerts USING INDEX alerts_group/);
    expect(plan).toContain("SEARCH d USING INDEX sqlite_autoindex_deliveries_1");
    expect(plan).not.toContain("SCAN");
  });

  it("what responders taught: the person's expected alerts, then their trail", () => {
    const plan = planOf(plans, () => alerts.expectedSince("o", "r", "u", 0), "alert_trail");
    expect(plan).toMatch(
      /^SEARCH a USING (COVERING )?INDEX alerts_expected \(org_id=\? AND rule_id=\? AND user_id=\?\)/,
    );
    expect(plan).not.toContain("SCAN");
  });

  it("what an alert shows it taught: the person's true positives, then their trail", () => {
    const plan = planOf(plans, () => alerts.confirmedAt("o", "r", "u"), "alert_trail");
    expect(plan).toMatch(
      /^SEARCH a USING (COVERING )?INDEX alerts_true_positive \(org_id=\? AND rule_id=\? AND user_id=\?\)/,
    );
    expect(plan).not.toContain("SCAN");
  });

  it("a responder's App Home: the open alerts posted, not those never shown", () => {
    expect(planOf(plans, () => home.openAlerts("o", 10), "alerts")).toContain(
      "USING INDEX alerts_open_posted",
    );
    expect(planOf(plans, () => home.openBySeverity("o"), "alerts")).toContain(
      "USING INDEX alerts_open_posted",
    );
    // Each open alert's delivery a seek of its key.
    expect(planOf(plans, () => home.openUnposted("o"), "alerts")).toMatch(
      /USING (COVERING )?INDEX alerts_open_posted .*SEARCH d USING INDEX sqlite_autoindex_deliveries_1 \(org_id=\? AND alert_id=\?\)/,
    );
  });

  it("a responder's App Home: the alerts with no message of their own handled lately, not every handled one", () => {
    const plan = planOf(plans, () => home.handledUnposted("o", 0, 5), "alert_trail");
    expect(plan).toContain("SEARCH a USING INDEX alerts_updated (updated_at>?)");
    expect(plan).toContain(
      "SEARCH d USING INDEX sqlite_autoindex_deliveries_1 (org_id=? AND alert_id=?)",
    );
    // The window counting them scans only the rows found.
    expect(plan).not.toMatch(/SCAN (a|d|t|x)\b/);
  });

  it("the App Home's look every 30 s: the alerts raised or changed since, not back to a posted one", () => {
    const from = plans.length;
    homeRefresh.postedChanges(0, 0);
    const ran = plans.slice(from).map((p) => p.plan);
    expect(ran).toHaveLength(2);
    expect(ran[0]).toMatch(/^SEARCH alerts$/);
    expect(ran[1]).toContain("SEARCH alerts USING INTEGER PRIMARY KEY (rowid>?)");
    expect(ran[1]).toContain("SEARCH alerts USING INDEX alerts_updated (updated_at>?)");
    expect(ran.join(" | ")).not.toContain("SCAN");
  });

  it("the people last shown a responder's Home (each 5 minutes): a seek per person, not every view", () => {
    const plan = planOf(plans, () => homeRefresh.responderViewers(), "outbox");
    expect(plan).toContain("SEARCH outbox USING COVERING INDEX outbox_ref (ref=? AND kind=?)");
    expect(plan).not.toContain("GROUP BY");
    expect(plan).not.toContain("SCAN outbox");
  });

  it('a "not me": the person\'s "not me" groups, not every open alert', () => {
    expect(planOf(plans, () => home.notMeSaid("o", ["a"], 0, 1), "alerts")).toMatch(
      /^SEARCH alerts USING INDEX alerts_group \(org_id=\? AND group_key>\? AND group_key<\?\)/,
    );
  });

  it("an hour's roll-up: that hour's alerts", () => {
    expect(planOf(plans, () => deliveries.rolledUpIn("o", 1), "deliveries")).toContain(
      "USING INDEX deliveries_rollup (org_id=? AND rollup_hour=?)",
    );
  });

  it("a question about alerts (status:, rule:): the events of the period's alerts, not every event of it", () => {
    const none: string[] = [];
    const filter: ActivityFilter = {
      orgId: "o",
      since: 1,
      until: 2,
      people: none,
      tools: none,
      classes: none,
      products: none,
      sites: none,
      actions: none,
      ips: none,
      countries: none,
      auth: none,
      rules: none,
      statuses: ["open"],
      words: none,
    };
    // An alert of the question's time, so that its events are read too.
    alerts.insert(
      anAlert({ orgId: "o", ruleId: "mcp-write", firstSeen: 1, lastSeen: 1, createdAt: 1 }),
    );
    const from = plans.length;
    const scan = activity.scanner(filter);
    for (let window = 0; window < 3; window++) [...scan(window, window + 1)];
    const ran = plans.slice(from);
    // The alerts once, those last seen since the question's start: not every alert of the status.
    const alerted = ran.filter((p) => /\bFROM alerts a\b/.test(p.sql));
    expect(alerted).toHaveLength(1);
    expect(alerted[0]?.plan).toContain(
      "SEARCH a USING INDEX alerts_status_seen (org_id=? AND status=? AND last_seen>?)",
    );
    expect(alerted[0]?.plan).not.toContain("SCAN a");
    // Then their events, by the alerts' ids and the events' seqs.
    const events = ran.filter((p) => /\balert_events\b/.test(p.sql));
    expect(events).toHaveLength(1);
    expect(events[0]?.plan).toContain("SEARCH event_rows USING INTEGER PRIMARY KEY (rowid=?)");
    expect(events[0]?.plan).toMatch(/SEARCH alert_events USING (COVERING )?(PRIMARY KEY|INDEX)/);
    expect(events[0]?.plan).not.toMatch(/SCAN (alert_events|event_rows)/);
    // Each window, its own events by seq.
    const windows = ran.filter((p) => /\bjson_each\b/.test(p.sql) && !/alert_events/.test(p.sql));
    expect(windows).toHaveLength(3);
    for (const { plan } of windows) {
      expect(plan).toMatch(/^SEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      expect(plan).not.toMatch(/alerts|event_rows_time/);
    }
    const byRule = { ...filter, statuses: none, rules: ["mcp-write"] };
    expect(planOf(plans, () => [...activity.scanner(byRule)(1, 2)], "FROM alerts a")).toContain(
      "SEARCH a USING INDEX alerts_rule_seen (org_id=? AND rule_id=? AND last_seen>?)",
    );
  });

  it("a retention batch: one look-up per event of whether an alert is about it", () => {
    const plan = planOf(plans, () => retention.pruneEvents("o", 1, 10), "alert_events");
    expect(plan).toContain("USING COVERING INDEX alert_events_seq (event_seq=?)");
    expect(plan).not.toMatch(/SCAN alert_events/);
  });
});

describe("the figures `/mcp-activity settings` shows responders", () => {
  it("read the week shown, each person looked back on through an index: not the history", async () => {
    const real = openStore(join(tempDir(), "guidance.db"));
    const { db, plans } = explaining(real);
    const from = plans.length;
    const figures = new GuidanceFigureStore(db);
    await figures.guidanceStats("o", 0, 7 * 86_400_000);
    figures.observedUse("o", 0, 7 * 86_400_000);
    const reads = plans.slice(from).filter((p) => /\bFROM (events|event_rows)\b/.test(p.sql));
    expect(reads.length).toBeGreaterThan(0);
    for (const { sql, plan } of reads) {
      expect(plan, sql).toMatch(/USING (COVERING )?INDEX \w+ \([^)]*time[<>]/);
      // Every read of the table by its name or an alias (`e`, the view's; `r`, the new people's).
      expect(plan, sql).not.toMatch(/SCAN (e|r|event_rows)\b/);
    }
    real.close();
  });
});

describe("a digest's alerts still open, whenever raised", () => {
  it("read the open posted ones, not every alert before the period's end nor every open one", () => {
    const real = openStore(join(tempDir(), "still-open.db"));
    const { db, plans } = explaining(real);
    const from = plans.length;
    // With the place of the digest before (the links made since it, dated before the period).
    new DigestFigureStore(db).read("o", 0, 86_400_000, () => "", {
      bucketMs: 3_600_000,
      previousSince: -86_400_000,
      seenThrough: 10,
      linkedThrough: 5,
    });
    const reads = plans.slice(from).filter((p) => /FROM alerts a\b/.test(p.sql));
    const [linked, open] = [true, false].map((joined) =>
      reads.filter((p) => /JOIN alert_events/.test(p.sql) === joined),
    );
    expect(open).toHaveLength(2);
    for (const { sql, plan } of open ?? []) {
      expect(plan, sql).toMatch(
        /^SEARCH a USING INDEX alerts_open_posted \(org_id=\? AND status=\? AND notify=\?\)/,
      );
      expect(plan, sql).not.toContain("SCAN");
    }
    // The settings changes and app authorizations: each rule's alerts by its last event, each
    // one's links by their key, each event by its seq; nothing scanned but the few rows named.
    expect(linked?.length).toBeGreaterThan(0);
    for (const { sql, plan } of linked ?? []) {
      expect(plan, sql).toMatch(
        /SEARCH a USING (COVERING )?INDEX alerts_rule_seen \(org_id=\? AND rule_id=\? AND last_seen>\?\)/,
      );
      expect(plan, sql).toContain("SEARCH ae USING PRIMARY KEY (alert_id=?)");
      expect(plan, sql).toContain("SEARCH ae USING INDEX alert_events_made (made>?)");
      expect(plan.replace(/SCAN \(subquery-\d+\)/g, ""), sql).not.toContain("SCAN");
    }
    real.close();
  });
});

describe("a digest's newcomers and late calls, against what the digest before it reported", () => {
  it("read the period by time, the calls stored since that digest by seq, each person, tool and site by its index: not the history", () => {
    const real = openStore(join(tempDir(), "late.db"));
    const event = normalizedEvent({ orgId: "o", time: 3_600_000 });
    // And a wrapper's call: its operation is looked for by the operation's own index.
    const wrapped = normalizedEvent({
      orgId: "o",
      id: "wrapped",
      time: 7_200_000,
      tool: "executeWrite",
      innerTool: "createJiraIssueLink",
    });
    real.transaction(() => new EventStore(real).insertMany([event, wrapped], 1))();
    const { db, plans } = explaining(real);
    const from = plans.length;
    new DigestFigureStore(db).read("o", 0, 86_400_000, () => "", {
      bucketMs: 3_600_000,
      previousSince: -86_400_000,
      seenThrough: 1,
    });
    const weekly = new WeeklyFigureStore(db);
    weekly.newTools("o", 0, 86_400_000, 1);
    weekly.newSites("o", 0, 86_400_000, 1);
    const reads = plans
      .slice(from)
      .filter((p) => /\bFROM (events|event_rows)\b/.test(p.sql) && /\bseq\b/.test(p.sql));
    // People, tools, sites: the new calls, then whether each was seen before (a tool, and an
    // operation a wrapper ran); the late calls.
    expect(reads).toHaveLength(8);
    for (const { sql, plan } of reads) {
      expect(plan, sql).not.toMatch(/SCAN (e|event_rows)\b/);
      // The organization's MCP calls from a seq on: never every event of every organization since.
      if (/seq > \?/.test(sql)) expect(plan, sql).toContain("event_rows_mcp_seq (org=? AND seq>?)");
      if (/operation = \?/.test(sql))
        expect(plan, sql).toContain(
          "USING INDEX event_rows_mcp_operation (org=? AND operation=? AND time<?)",
        );
      else if (/seq <= (\?|@seen)/.test(sql))
        expect(plan, sql).toMatch(
          /USING COVERING INDEX event_rows_mcp_\w+ \(org=\? AND \w+=\? AND time<\?\)/,
        );
    }
    real.close();
  });
});

describe("a digest's newcomers whose calls name no account id", () => {
  it("are each looked back on by their e-mail, else name, through the index of those calls: not the history", () => {
    const real = openStore(join(tempDir(), "unaccounted.db"));
    const nobody = (id: string, email: string | null, name: string | null) =>
      normalizedEvent({
        orgId: "o",
        id,
        time: 3_600_000,
        userId: null,
        actorId: null,
        userEmail: email,
        actorEmail: email,
        userName: name,
        actorName: name,
      });
    const calls = [nobody("by-email", "svc@example.com", null), nobody("by-name", null, "Trent")];
    real.transaction(() => new EventStore(real).insertMany(calls, 1))();
    const { db, plans } = explaining(real);
    const from = plans.length;
    const read = new DigestFigureStore(db).read("o", 0, 86_400_000, () => "", {
      bucketMs: 3_600_000,
      previousSince: -86_400_000,
      seenThrough: 1,
    });
    expect(read.firstTimerCount).toBe(2);
    // The people's look-backs (not the settings changes' links, read by their own index).
    const before = plans
      .slice(from)
      .filter((p) => /seq <= (\?|@seen)/.test(p.sql) && !/alert_events/.test(p.sql));
    expect(before).toHaveLength(2);
    for (const { sql, plan } of before) {
      expect(plan, sql).not.toMatch(/SCAN/);
      expect(plan, sql).toContain("INDEX event_rows_mcp_unaccounted (org=? AND user_email=?");
    }
    real.close();
  });
});

describe("a digest's people whose API-token calls name an account's e-mail only", () => {
  it("are that account, found by a seek on the people's e-mails and looked back on through both indexes: not the history", () => {
    const real = openStore(join(tempDir(), "same-person.db"));
    const ann = { orgId: "o", userEmail: "ann@example.com", actorEmail: "ann@example.com" };
    const calls = [
      normalizedEvent({ ...ann, id: "by-account", time: 3_600_000, userId: "acc-ann" }),
      normalizedEvent({
        ...ann,
        id: "by-token",
        time: 7_200_000,
        userId: null,
        actorId: null,
        userName: null,
        actorName: null,
      }),
    ];
    real.transaction(() => new EventStore(real).insertMany(calls, 1))();
    const { db, plans } = explaining(real);
    const from = plans.length;
    const read = new DigestFigureStore(db).read("o", 0, 86_400_000, () => "", {
      bucketMs: 3_600_000,
      previousSince: -86_400_000,
      seenThrough: 1,
    });
    expect(read.current.people).toBe(1);
    expect(read.firstTimerCount).toBe(1);
    const ran = plans.slice(from);
    const keyed = ran.filter((p) => /\bpeople known\b/.test(p.sql));
    expect(keyed.length).toBeGreaterThan(0);
    for (const { sql, plan } of keyed) {
      expect(plan, sql).toContain(
        "SEARCH known USING COVERING INDEX people_email (org_id=? AND user_email=?)",
      );
      expect(plan, sql).not.toMatch(/SCAN (e|event_rows|known|mine)\b/);
    }
    const before = ran.filter((p) => /seq <= @seen/.test(p.sql));
    expect(before).toHaveLength(1);
    expect(before[0]?.plan).toContain("INDEX event_rows_mcp_user (org=? AND user_id=? AND time<?)");
    expect(before[0]?.plan).toContain("INDEX event_rows_mcp_unaccounted (org=? AND user_email=?)");
    expect(before[0]?.plan).toContain("SEARCH mine USING PRIMARY KEY (org_id=? AND user_id=?)");
    expect(before[0]?.plan).not.toMatch(/SCAN/);
    real.close();
  });
});

describe("one person's calls, an account's with the API-token calls naming only its e-mail", () => {
  it("are read by the account's index and its e-mails' on the index of calls naming no account, for a question as for the Home: not the history", () => {
    const real = openStore(join(tempDir(), "person-calls.db"));
    const ann = { orgId: "o", userEmail: "ann@example.com", actorEmail: "ann@example.com" };
    const calls = [
      normalizedEvent({ ...ann, id: "by-account", time: 3_600_000, userId: "acc-ann" }),
      normalizedEvent({ ...ann, id: "by-token", time: 7_200_000, userId: null, actorId: null }),
      normalizedEvent({ orgId: "o", id: "someone-else", time: 7_200_000, userId: "acc-bob" }),
    ];
    real.transaction(() => new EventStore(real).insertMany(calls, 1))();
    const { db, plans } = explaining(real);
    const from = plans.length;
    const none: string[] = [];
    const filter: ActivityFilter = {
      orgId: "o",
      since: 0,
      until: 86_400_000,
      people: ["acc-ann"],
      tools: none,
      classes: none,
      products: none,
      sites: none,
      actions: none,
      ips: none,
      countries: none,
      auth: none,
      rules: none,
      statuses: none,
      words: none,
    };
    expect([...new ActivityStore(db).scanner(filter)(0, 86_400_000)]).toHaveLength(2);
    expect(new HomeStore(db).figures("o", 0, 86_400_000, ["acc-ann"]).calls).toBe(2);
    const reads = plans.slice(from).filter((p) => /\bFROM events\b/.test(p.sql));
    expect(reads).toHaveLength(2);
    for (const { sql, plan } of reads) {
      expect(plan, sql).toContain("SEARCH e USING INTEGER PRIMARY KEY (rowid=?)");
      expect(plan, sql).toContain(
        "INDEX event_rows_mcp_user (org=? AND user_id=? AND time>? AND time<?)",
      );
      expect(plan, sql).toContain("INDEX event_rows_mcp_unaccounted (org=? AND user_email=?)");
      expect(plan, sql).not.toMatch(/SCAN (e|event_rows|known|mine)\b/);
    }
    real.close();
  });
});

describe("a digest's alerts of its period", () => {
  it("read through the alerts' time, not every alert of the organization", () => {
    const real = openStore(join(tempDir(), "digest-alerts.db"));
    const { db, plans } = explaining(real);
    const from = plans.length;
    new DigestFigureStore(db).read("o", 0, 86_400_000, () => "", {
      bucketMs: 3_600_000,
      previousSince: -86_400_000,
    });
    const [byRule] = plans.slice(from).filter((p) => /GROUP BY rule_id/.test(p.sql));
    expect(byRule?.plan).toMatch(
      /^SEARCH alerts USING INDEX alerts_created \(org_id=\? AND created_at>\? AND created_at<\?\)/,
    );
    real.close();
  });
});

describe("what earlier Not mes hold of a person's day (the Home's each day, a Not me said again)", () => {
  it("is one read of the person's calls by their indexes, whoever holds each told without a subquery", () => {
    const real = openStore(join(tempDir(), "not-me-cover.db"));
    const ann = { orgId: "o", userEmail: "ann@example.com", actorEmail: "ann@example.com" };
    const calls = [
      normalizedEvent({ ...ann, id: "by-account", time: 3_600_000, userId: "acc-ann" }),
      normalizedEvent({ ...ann, id: "by-token", time: 7_200_000, userId: null, actorId: null }),
    ];
    real.transaction(() => new EventStore(real).insertMany(calls, 1))();
    const alerts = new AlertStore(real);
    const said = (until: number) =>
      alerts.insert(
        newAlert({
          orgId: "o",
          ruleId: "mcp-not-me",
          groupKey: `mcp-not-me|acc-ann|${until}`,
          detail: { since: 0, until, accounts: ["acc-ann"], source: "App Home" },
        }),
      );
    said(5_000_000);
    const handled = said(86_400_000);
    real.prepare("UPDATE alerts SET status = 'true_positive' WHERE id = ?").run(handled);
    const { db, plans } = explaining(real);
    const from = plans.length;
    const day = { accounts: ["acc-ann"], since: 0, until: 86_400_000 };
    expect(notMeCover(new HomeStore(db), "o", day).uncovered).toEqual(["acc-ann"]);
    const reads = plans.slice(from).filter((p) => /\bevent_rows\b|\bevents\b/.test(p.sql));
    expect(reads).toHaveLength(1);
    for (const { sql, plan } of reads) {
      expect(plan, sql).toContain(
        "INDEX event_rows_mcp_user (org=? AND user_id=? AND time>? AND time<?)",
      );
      expect(plan, sql).toContain("INDEX event_rows_mcp_unaccounted (org=? AND user_email=?)");
      expect(plan, sql).not.toMatch(/SCAN (e|event_rows|known|mine|h)\b|VIRTUAL TABLE/);
    }
    real.close();
  });
});
