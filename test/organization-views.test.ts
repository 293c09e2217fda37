import { describe, expect, it } from "vitest";
import { buildDigest } from "../src/digest/build.js";
import type { StatusFigures } from "../src/domain/status.js";
import { WatchedOrgs } from "../src/organizations.js";
import { alertMessage } from "../src/slack/blocks/alert.js";
import { answeredMessage } from "../src/slack/blocks/ask.js";
import { settingsText } from "../src/slack/blocks/settings.js";
import { statusReply } from "../src/slack/blocks/status.js";
import { overflowSummary } from "../src/slack/blocks/summary.js";
import { suppressionBlocks } from "../src/slack/blocks/suppressions.js";
import { orgNotFound } from "../src/slack/commands/org-not-found.js";
import { unreadText } from "../src/slack/digest-unread.js";
import { anAlert, mcpEvent } from "./detect/fixtures.js";
import { digestData } from "./digest/fixtures.js";

const names: Record<string, string> = { "org-a": "Alpha", "org-b": "Beta <!here>" };

describe("the watched organizations", () => {
  const orgs = new WatchedOrgs(["org-a", "org-b", "org-c"], (id) => names[id]);

  it("finds one by id or name, and lists them", () => {
    expect(orgs.find("ORG-B")).toBe("org-b");
    expect(orgs.find(" alpha ")).toBe("org-a");
    expect(orgs.find("gamma")).toBeUndefined();
    expect(orgs.first).toBe("org-a");
    expect(orgs.describe()).toBe("Alpha (org-a), Beta <!here> (org-b), org-c");
  });

  it("labels views only when several are watched, with the id until the name is known", () => {
    expect(orgs.label("org-a")).toBe("Alpha");
    expect(orgs.label("org-c")).toBe("org-c");
    const one = new WatchedOrgs(["org-a"], (id) => names[id]);
    expect(one.label("org-a")).toBeUndefined();
    expect(one.name("org-a")).toBe("Alpha");
  });
});

describe("two watched organizations with the same name", () => {
  const orgs = new WatchedOrgs(["org-prod", "org-sandbox", "org-x"], (id) =>
    id === "org-x" ? "Other" : id === "org-prod" ? "Acme" : "ACME",
  );

  it("are told apart by their ids wherever they are named", () => {
    expect(orgs.label("org-prod")).toBe("Acme (org-prod)");
    expect(orgs.name("org-sandbox")).toBe("ACME (org-sandbox)");
    expect(orgs.name("org-x")).toBe("Other");
  });

  it("are found by id only: the shared name means neither, and the list says which is which", () => {
    expect(orgs.find("acme")).toBeUndefined();
    expect(orgs.named("acme")).toEqual(["org-prod", "org-sandbox"]);
    expect(orgs.find("org-sandbox")).toBe("org-sandbox");
    expect(orgs.find("other")).toBe("org-x");
    expect(orgs.describe()).toBe("Acme (org-prod), ACME (org-sandbox), Other (org-x)");
  });
});

describe("an org: that names no watched organization, or several", () => {
  const texts = (reply: ReturnType<typeof orgNotFound>) =>
    reply.blocks.map((b) => (b.type === "section" ? (b.text?.text ?? "") : ""));

  it("lists every organization to choose from, its id whole, its name escaped", () => {
    // 30 organizations of long ids and long names full of what escaping lengthens.
    const ids = Array.from(
      { length: 30 },
      (_, i) => `${String(i).padStart(4, "0")}-${"f".repeat(60)}`,
    );
    const orgs = new WatchedOrgs(ids, (id) =>
      id.startsWith("0007") ? undefined : `<&> ${"*&".repeat(60)} ${id.slice(0, 4)}`,
    );
    const reply = orgNotFound(orgs, "acme", ["org:x since:7d"]);
    const shown = texts(reply);
    for (const text of shown) expect(text.length).toBeLessThanOrEqual(3000);
    for (const id of ids) expect(shown.join("\n")).toContain(id);
    expect(shown.join("\n")).toContain(`\n• ${ids[7]}\n`);
    expect(shown.join("\n")).toContain("• &lt;&amp;&gt; ∗&amp;");
    expect(shown.join("\n")).not.toMatch(/<&>|more lines?/);
    expect(reply.text).toBe(
      'no watched organization is called "acme". give the id or the name of one of the 30 watched organizations below',
    );
  });

  it("with one organization watched, lists it alone, escaped", () => {
    const reply = orgNotFound(new WatchedOrgs(["org-a"], () => "Alpha <!here>"), "beta", ["x"]);
    expect(reply.text).toBe(
      'no watched organization is called "beta". give the id or the name of the watched organization below',
    );
    expect(JSON.stringify(reply.blocks)).toContain("• Alpha &lt;!here&gt; (org-a)");
  });
});

describe("views with several organizations", () => {
  it("the notice of a digest not made points at its organization's error, naming it once", () => {
    const digest = { kind: "daily", end: 0, lastError: "HTTP 401", partly: false } as const;
    const at = (organization?: { name: string; index: number }) =>
      unreadText(digest, { orgId: "org-b", channel: "C1", organization });
    const one = at();
    expect(one).toContain("cannot be made: the Atlassian audit log has not been read");
    expect(one).toContain(
      "See `/healthz` (`poller.lastError`) or `/mcp-activity status`. Once the log is read,",
    );
    const named = at({ name: "Beta <!here>", index: 1 });
    expect(named).toContain("the Atlassian audit log of *Beta &lt;!here&gt;* (org-b) has not");
    expect(named).toContain(
      "See `/healthz` (`organizations[1].poller.lastError`) or `/mcp-activity status` (under *Beta &lt;!here&gt;*).",
    );
    expect(named).not.toContain("`poller.lastError`");
    // Its name not known yet: the id, once.
    const unnamed = at({ name: "org-b", index: 1 });
    expect(unnamed).toContain("the Atlassian audit log of org-b has not");
    expect(unnamed).toContain("`/mcp-activity status` (under org-b)");
  });

  const view = { alert: anAlert(), event: mcpEvent(), explanation: "why" };

  it("the settings' suppressions and the answered question name the organization", () => {
    const listed = {
      id: 1,
      orgId: "org-b",
      ruleId: "mcp-destructive",
      userKey: "acc-alice",
      person: "Alice Example",
      reason: "cleanup job",
      alertId: 2,
      createdBy: "URESP",
      createdAt: 0,
      alertCreatedAt: 5,
    };
    const named = JSON.stringify(suppressionBlocks([listed], () => "Beta"));
    expect(named).toContain("*mcp-destructive* about Alice Example in *Beta*");
    expect(named).toContain('"value":"2.5:1"'); // Remove names the alert (id, when raised) and the suppression
    expect(JSON.stringify(suppressionBlocks([listed]))).not.toContain(" in *");
    const answered = answeredMessage(anAlert(), mcpEvent(), "no", 0, "Beta <!here>");
    expect(JSON.stringify(answered)).toContain(
      "in the Atlassian organization *Beta &lt;!here&gt;* with your account",
    );
  });

  it("an alert names its organization, escaped; without one it is as before", () => {
    const plain = alertMessage(view);
    const named = alertMessage({ ...view, organization: "Beta <!here>" });
    expect(named.text).toBe(`${plain.text} · Beta &lt;!here&gt;`);
    expect(named.blocks).toHaveLength(plain.blocks.length + 1);
    expect(JSON.stringify(named.blocks[1])).toContain("Organization: *Beta &lt;!here&gt;*");
    expect(JSON.stringify(plain.blocks)).not.toContain("Organization");
  });

  it("an alert's settings point at the full guidance of its organization", () => {
    const alert = anAlert({ orgId: "org-b" });
    expect(settingsText(alert)).toMatch(/The full guidance: `\/mcp-activity settings`\.$/);
    expect(settingsText(alert, true)).toMatch(
      /The full guidance: `\/mcp-activity settings org:org-b`\.$/,
    );
  });

  it("a digest's title names its organization", () => {
    const named = buildDigest(digestData(), { kind: "daily", late: false, organization: "Alpha" });
    expect(named.text).toMatch(/^Daily MCP activity digest · Alpha: /);
    expect(buildDigest(digestData(), { kind: "daily", late: false }).text).toMatch(
      /^Daily MCP activity digest: /,
    );
  });

  it("the overflow summary says whose alerts and how to ask for them", () => {
    const alerts = [anAlert({ id: 1 }), anAlert({ id: 2 })];
    const named = JSON.stringify(overflowSummary(alerts, "org-b", "Beta"));
    expect(named).toContain("2 more alerts of Beta (2 of them high) arrived");
    expect(named).toContain("/mcp-activity status:open org:org-b");
    expect(JSON.stringify(overflowSummary(alerts, "org-b"))).not.toContain("org:");
  });

  it("status lists each organization under its name, with the shared problems on top", () => {
    const figures = {
      healthy: true,
      lastPoll: null,
      lagSeconds: 3,
      lastEvent: null,
      mcpActionKeys: [],
      pendingDeliveries: 0,
      quarantined: 0,
      backfilling: null,
      problems: [],
    } satisfies StatusFigures;
    const reply = statusReply({
      ...figures,
      healthy: false,
      problems: ["the database does not answer"],
      organizations: [
        { ...figures, organization: "Alpha" },
        { ...figures, healthy: false, problems: ["key rejected"], organization: "Beta" },
      ],
    });
    const text = JSON.stringify(reply.blocks);
    expect(reply.text).toBe("mcp-activity is unhealthy");
    expect(text).toContain("2 organizations watched");
    expect(text).toContain(":warning: the database does not answer");
    expect(text).toContain("*Alpha:* healthy");
    expect(text).toContain("*Beta:* *unhealthy*");
    expect(text).toContain(":warning: key rejected");
    expect(JSON.stringify(statusReply(figures).blocks)).not.toContain("organizations watched");
    // A lag is read at a glance: a backfill 14 days behind, not 1248016 s.
    expect(JSON.stringify(statusReply(figures).blocks)).toContain("lag 3 s");
    const behind = statusReply({ ...figures, lagSeconds: 1_248_016 });
    expect(JSON.stringify(behind.blocks)).toContain("lag 14 d");
  });

  it("status keeps each section within Block Kit's 3,000 characters, saying what it leaves out", () => {
    const figures = {
      healthy: false,
      lastPoll: null,
      lagSeconds: 3,
      lastEvent: null,
      mcpActionKeys: Array.from({ length: 30 }, (_, i) => `rovo_mcp_action_${i}`),
      pendingDeliveries: 0,
      quarantined: 0,
      backfilling: null,
      problems: Array.from(
        { length: 8 },
        (_, i) => `worker ${i} failed: ${"disk full ".repeat(45)}`,
      ),
    } satisfies StatusFigures;
    for (const reply of [
      statusReply(figures),
      statusReply({ ...figures, organizations: [{ ...figures, organization: "Alpha" }] }),
    ]) {
      const texts = reply.blocks.map((b) => (b.type === "section" ? (b.text?.text ?? "") : ""));
      for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
      expect(texts.join("\n")).toMatch(/…and \d+ more lines?$/m);
      expect(texts.join("\n")).toContain("worker 0 failed");
    }
  });

  it("status says while the first poll reads the history, and how far it got", () => {
    const base = {
      healthy: true,
      lastPoll: null,
      lagSeconds: null,
      lastEvent: null,
      mcpActionKeys: [],
      pendingDeliveries: 0,
      quarantined: 0,
      problems: [],
    };
    const reading = JSON.stringify(
      statusReply({ ...base, backfilling: { stored: 1200, unread: false, stopped: null } }).blocks,
    );
    expect(reading).toContain(
      "Reading the audit log's history (the first poll): 1200 events stored so far",
    );
    // Nothing stored and the poll failing: not said to be reading, and pointed at the failure.
    const unread = JSON.stringify(
      statusReply({ ...base, backfilling: { stored: 0, unread: true, stopped: "apiKeyRejected" } })
        .blocks,
    );
    expect(unread).toContain(
      "The audit log has not been read yet: no page of it has come in (the warning below says why)",
    );
    expect(unread).not.toContain("Reading the audit log's history");
    // Stored in part, then nothing reads the rest until a setting is fixed: not said to be read.
    const stopped = JSON.stringify(
      statusReply({ ...base, backfilling: { stored: 200, unread: false, stopped: "orgNotFound" } })
        .blocks,
    );
    expect(stopped).toContain(
      "The audit log's history is not being read: the organization is not found (the warning below says which setting to check); 200 events of it stored so far",
    );
    expect(stopped).not.toContain("Reading the audit log's history");
    const read = JSON.stringify(statusReply({ ...base, backfilling: null }).blocks);
    expect(read).not.toContain("Reading the audit log's history");
  });
});

describe("an organization's id beside its name", () => {
  const ID = "2a4b6c8d-1111-2222-3333-444455556666";

  it("is said once in the notice of a digest not made, when two organizations share the name", () => {
    const orgs = new WatchedOrgs(["org-prod", ID], () => "Acme");
    const text = unreadText(
      { kind: "daily", end: Date.UTC(2026, 11, 5, 9), lastError: "HTTP 401", partly: false },
      { orgId: ID, channel: "C1", organization: { name: orgs.label(ID) as string, index: 1 } },
    );
    const first = text.split("\n")[0] ?? "";
    expect(first).toContain(`*Acme (${ID})*`);
    expect(first.split(ID)).toHaveLength(2);
  });

  it("is shown for the one organization watched, whatever its name's length", () => {
    const long = `Acme ${"Engineering and Operations ".repeat(8)}`;
    const reply = orgNotFound(new WatchedOrgs([ID], () => long), "acme", ["since:7d"]);
    expect(JSON.stringify(reply.blocks)).toContain(`(${ID})`);
  });
});
