/**
 * Rules-file values as an operator writes them (a product's capital letter, a site's address copied
 * from the browser) act as the values the
 * bot compares with: through the real CLI (`poll --once`), the Atlassian simulator on loopback and a
 * real SQLite file.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { siteItem } from "../../src/simulator/common.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { HOUR } from "../../src/time-units.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const closing: Simulator[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
});

type Site = Simulator["org"]["roster"]["sites"][number];

/** An MCP call of `tool` by `who` on `site`, now unless told. */
const call = (id: string, who: string, tool: string, site: Site, time = Date.now()) => ({
  id,
  attributes: {
    time: new Date(time).toISOString(),
    action: "rovo_mcp_tool_called",
    actor: {
      id: `acc-${who}`,
      name: `Person ${who}`,
      email: `${who}@example.com`,
      auth: { authType: "auth-token-for-3LO" },
    },
    container: [siteItem(site)],
    context: [{ id: tool, type: "mcp-tool", attributes: { name: tool } }],
  },
});

/**
 * A first `poll --once` reads `history` (never alerted on), then `calls` happen and a second poll
 * judges them with the rules file `rules` (given the site's host name): the alerts stored.
 */
async function live(
  rules: (host: string) => string,
  calls: (site: Site) => unknown[],
  history: (site: Site) => unknown[] = () => [],
) {
  const sim = await startSimulator({
    seed: 11,
    orgId: "org-r",
    apiKey: "k",
    start: Date.now() - 3 * HOUR,
    intervalMs: 60_000,
  });
  closing.push(sim);
  const site = sim.org.roster.sites[0];
  if (!site) throw new Error("the simulator has no site");
  const dir = tempDir();
  const file = join(dir, "rules.yml");
  writeFileSync(file, rules(site.siteHostName.replace(/^https?:\/\//, "")));
  const env = {
    ATLASSIAN_API_BASE_URL: sim.url,
    ATLASSIAN_ORG_ID: "org-r",
    ATLASSIAN_API_KEY: "k",
    DATABASE_PATH: join(dir, "bot.db"),
    BACKFILL_DAYS: "1",
    RULES_FILE: file,
  };
  sim.injectEvents(history(site) as never);
  const first = await runCli(["poll", "--once"], env);
  expect(first.code, first.stderr).toBe(0);
  sim.injectEvents(calls(site) as never);
  const second = await runCli(["poll", "--once"], env);
  expect(second.code, second.stderr).toBe(0);
  const db = new Database(env.DATABASE_PATH, { readonly: true });
  try {
    return db
      .prepare("SELECT rule_id AS rule, title, user_name AS who FROM alerts ORDER BY id")
      .all() as Array<{ rule: string; title: string; who: string }>;
  } finally {
    db.close();
  }
}

const EVERY_CLASS = "[read, search, write, destructive, admin]";

describe("tools: a product written with capitals", () => {
  it("is the posture's product of the same name: a read allowed there is no drift", async () => {
    const products = ["jira", "confluence", "compass", "bitbucket", "jsm"]
      .map((p) => `${p}: ${EVERY_CLASS}`)
      .join(", ");
    const alerts = await live(
      () =>
        `tools:\n  getJiraBoard: { class: read, product: " Jira " }\nposture:\n  products: { ${products} }\n`,
      (site) => [
        call("pc-1", "zed", "getJiraIssue", site),
        call("pc-2", "zed", "getJiraBoard", site),
      ],
    );
    expect(alerts.filter((a) => a.rule === "mcp-posture-drift")).toEqual([]);
  }, 120_000);

  it("is the product a person already used: no first MCP call in a new product", async () => {
    const alerts = await live(
      () => "tools:\n  getJiraBoard: { class: read, product: Jira }\n",
      (site) => [call("pc-4", "yan", "getJiraBoard", site)],
      (site) => [call("pc-3", "yan", "getJiraIssue", site, Date.now() - 2 * HOUR)],
    );
    const firsts = alerts.filter((a) => a.rule === "mcp-first-use" && a.who === "Person yan");
    expect(firsts).toEqual([]);
  }, 120_000);
});

describe("watch: a site given as its address", () => {
  it("watches the site whose address it is, path and all", async () => {
    const alerts = await live(
      (host) =>
        `watch:\n  - { site: "https://${host.toUpperCase()}/wiki/spaces/HR", severity: high }\n`,
      (site) => [call("pc-5", "zed", "getJiraIssue", site)],
    );
    expect(alerts.filter((a) => a.rule === "mcp-watched-place")).toHaveLength(1);
  }, 120_000);
});
