import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  linkSync,
  openSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { holdInstanceLock } from "../../src/store/instance-lock.js";
import { CLI, childEnv, collect, runCli } from "../helpers/cli.js";
import { front } from "../helpers/front.js";
import { simulatedOrg } from "../helpers/simulated.js";
import { tempDir } from "../helpers/tmp.js";

const simulated = () => simulatedOrg(1000);

describe("poll --once", () => {
  it("prints what it stored, then that nothing was new", async () => {
    const { env } = await simulated();
    const first = await runCli(["poll", "--once"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /^stored 1000 new event\(s\) in \d+ page\(s\) \(first run: history backfilled, never alerted on\); 0 already stored, 0 quarantined$/m,
    );
    expect(first.stdout).toMatch(/MCP actions: .*rovo_mcp_tool_called/);
    const second = await runCli(["poll", "--once"], env);
    expect(second.stdout).toMatch(/^stored 0 new event\(s\)/m);
    expect(second.stdout).toContain("database: 1000 events");
    // A readable log goes where the JSON one does, to stderr: stdout holds the results alone.
    const pretty = await runCli(["poll", "--once"], {
      ...env,
      LOG_FORMAT: "pretty",
      LOG_LEVEL: "info",
    });
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(pretty.stdout).not.toMatch(/INFO|component/);
    expect(pretty.stderr).toMatch(/INFO.*MCP actions/);
  });

  it("told to stop (Ctrl-C) mid-poll, says what is kept, and the next run goes on from there", async () => {
    const { env, sim } = await simulatedOrg(3000);
    // A proxy that holds the third page asked for, so the poll is surely mid-way when stopped.
    let pages = 0;
    const held: Array<() => void> = [];
    const proxy = createServer((req, res) => {
      if (req.url?.includes("events-stream") && ++pages >= 3) {
        held.push(() => res.destroy());
        return;
      }
      fetch(`${sim.url}${req.url}`, { headers: { authorization: req.headers.authorization ?? "" } })
        .then(async (up) => {
          res.writeHead(up.status, { "content-type": "application/json" });
          res.end(Buffer.from(await up.arrayBuffer()));
        })
        .catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const port = (proxy.address() as AddressInfo).port;
    const child = spawn(process.execPath, [CLI, "poll", "--once"], {
      env: childEnv({ ...env, ATLASSIAN_API_BASE_URL: `http://127.0.0.1:${port}` }),
    });
    const done = collect(child);
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGINT");
    const stopped = await done;
    for (const drop of held) drop();
    proxy.close();
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(
      "poll stopped (SIGINT): every page stored so far is kept; `poll --once` again goes on from there",
    );
    const again = await runCli(["poll", "--once"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("database: 3000 events");
  }, 60_000);

  it("says so when the organization is not visible to the key", async () => {
    const { env } = await simulated();
    const result = await runCli(["poll", "--once"], { ...env, ATLASSIAN_ORG_ID: "someone-else" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("organization someone-else is not visible to this API key");
  });

  it("says so when the key is rejected, without printing it", async () => {
    const { env } = await simulated();
    const result = await runCli(["poll", "--once"], { ...env, ATLASSIAN_API_KEY: "hunter2-wrong" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "the organization API key was rejected (expired or wrong scope?)",
    );
    expect(result.stderr + result.stdout).not.toContain("hunter2");
  });

  it("does not poll while another process polls into the same database", async () => {
    const { env, path } = await simulated();
    // The other one names the same file through a link to it.
    await runCli(["migrate"], { DATABASE_PATH: path });
    const link = join(tempDir(), "link.db");
    symlinkSync(path, link);
    const bot = holdInstanceLock(link);
    const refused = await runCli(["poll", "--once"], env);
    bot.release();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("another mcp-activity is using the database");
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    // Owner-only, as the database beside it.
    expect(statSync(`${path}.lock`).mode & 0o777).toBe(0o600);
  });

  it("refuses a database with a second name (a hard link): a second bot there would not be kept out", async () => {
    const { env, path } = await simulated();
    await runCli(["migrate"], { DATABASE_PATH: path });
    const other = join(tempDir(), "other.db");
    linkSync(path, other);
    const refused = await runCli(["poll", "--once"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `mcp-activity poll: the database at ${path} has 2 names (hard links): a bot started by another name would not be kept out, and two writing it at once damage it: remove the other names (find them with find / -samefile ${path})`,
    );
    rmSync(other);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
  });

  it("refuses to run without --once or --check, or with both", async () => {
    for (const args of [["poll"], ["poll", "--once", "--check"]]) {
      const result = await runCli(args, {});
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("poll needs --once (read into the database) or --check");
    }
  });
});

describe("poll --check", () => {
  it("checks the key and the audit log, and stores nothing", async () => {
    const { env, path } = await simulated();
    const result = await runCli(["poll", "--check"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^the key sees .*org-cli.* and reads its audit log: 100 events on the first page of the last day, and more after it$/m,
    );
    expect(result.stdout).toMatch(/^MCP actions Atlassian names: .*rovo_mcp_tool_called/m);
    expect(result.stdout).toContain("nothing was stored");
    expect(existsSync(path)).toBe(false);
  });

  it("names the MCP actions the rules file adds, and stops at a mistake in that file", async () => {
    const { env, path } = await simulated();
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, "mcpActionKeys:\n  - user_logged_in\n");
    const result = await runCli(["poll", "--check"], { ...env, RULES_FILE: rules });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^MCP actions Atlassian names: .*rovo_mcp_tool_called.*; the rules file adds user_logged_in$/m,
    );
    writeFileSync(rules, "mcpActionKeys: ['']\n");
    const wrong = await runCli(["poll", "--check"], { ...env, RULES_FILE: rules });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("mcpActionKeys.0: expected a non-empty action key");
    expect(existsSync(path)).toBe(false);
  });

  it("goes on without the action catalogue, as the bot does, when it cannot be read", async () => {
    const { sim, env } = await simulated();
    // In front of the simulator: every request passed on, but /event-actions fails.
    const server = await front(sim.url, (path) =>
      path.includes("/event-actions") ? { status: 500, body: '{"errors":[]}' } : undefined,
    );
    try {
      const result = await runCli(["poll", "--check"], {
        ...env,
        ATLASSIAN_API_BASE_URL: server.url,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("and reads its audit log: 100 events");
      expect(result.stdout).toMatch(
        /^the action catalogue \(\/event-actions\) could not be read \(.+\): the bot goes on without it, finding MCP calls by their key$/m,
      );
    } finally {
      await server.close();
    }
  });

  it("says an action catalogue that answers no action at all could not be read, as the bot takes it", async () => {
    const { sim, env } = await simulated();
    const server = await front(sim.url, (path) =>
      path.includes("/event-actions") ? { status: 200, body: '{"data":[],"links":{}}' } : undefined,
    );
    try {
      const result = await runCli(["poll", "--check"], {
        ...env,
        ATLASSIAN_API_BASE_URL: server.url,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toContain("MCP actions Atlassian names");
      expect(result.stdout).toMatch(
        /^the action catalogue \(\/event-actions\) could not be read \(GET \/event-actions answered no action at all\): the bot goes on without it, finding MCP calls by their key$/m,
      );
    } finally {
      await server.close();
    }
  });

  it("goes on without the action catalogue when it refuses the key the stream accepts", async () => {
    const { sim, env } = await simulated();
    const server = await front(sim.url, (path) =>
      path.includes("/event-actions") ? { status: 403, body: '{"errors":[]}' } : undefined,
    );
    try {
      const result = await runCli(["poll", "--check"], {
        ...env,
        ATLASSIAN_API_BASE_URL: server.url,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("and reads its audit log: 100 events");
      expect(result.stdout).toMatch(
        /^the action catalogue \(\/event-actions\) could not be read \(.+answered 403.+\): the bot goes on without it, finding MCP calls by their key$/m,
      );
    } finally {
      await server.close();
    }
  });

  it("reads the audit log with a key the list of organizations refuses, and says so", async () => {
    const { sim, env } = await simulated();
    const server = await front(sim.url, (path) =>
      path.split("?")[0] === "/admin/v1/orgs" ? { status: 403, body: '{"errors":[]}' } : undefined,
    );
    try {
      const result = await runCli(["poll", "--check"], {
        ...env,
        ATLASSIAN_API_BASE_URL: server.url,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(
        /^the key reads the audit log of org-cli: 100 events on the first page of the last day, and more after it\nGET \/admin\/v1\/orgs answered 403: this key may not list organizations/m,
      );
    } finally {
      await server.close();
    }
  });

  it("says in one line when the key is rejected or sees another organization", async () => {
    const { env, path } = await simulated();
    const rejected = await runCli(["poll", "--check"], { ...env, ATLASSIAN_API_KEY: "hunter2" });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain("the organization API key was rejected");
    expect(rejected.stderr + rejected.stdout).not.toContain("hunter2");
    const other = await runCli(["poll", "--check"], { ...env, ATLASSIAN_ORG_ID: "someone-else" });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("organization someone-else is not visible to this API key");
    expect(existsSync(path)).toBe(false);
  });
});

describe("reclassify", () => {
  it("recomputes the MCP columns after the configured keys change", async () => {
    const { env, path } = await simulated();
    await runCli(["poll", "--once"], env);
    const db = new Database(path, { readonly: true });
    const logins = (
      db.prepare("SELECT count(*) AS n FROM events WHERE action = 'user_logged_in'").get() as {
        n: number;
      }
    ).n;
    db.close();
    expect(logins).toBeGreaterThan(0);

    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, "mcpActionKeys:\n  - user_logged_in\n");
    const result = await runCli(["reclassify"], { DATABASE_PATH: path, RULES_FILE: rules });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`org-cli: 1000 events read, ${logins} changed`);
    const after = new Database(path, { readonly: true });
    expect(
      after
        .prepare(
          "SELECT count(*) AS n FROM events WHERE action = 'user_logged_in' AND is_mcp = 1 AND mcp_basis = 'config'",
        )
        .get(),
    ).toEqual({ n: logins });
    after.close();
  });

  it("counts apart the calls it only gives the columns they were stored before", async () => {
    const { env, path } = await simulated();
    await runCli(["poll", "--once"], env);
    // As migration 0045 leaves the calls stored before it.
    const db = new Database(path);
    const unfilled = db
      .prepare("UPDATE event_rows SET operation = NULL, tool_guessed = NULL WHERE tool IS NOT NULL")
      .run().changes;
    db.close();
    expect(unfilled).toBeGreaterThan(0);
    const result = await runCli(["reclassify"], { DATABASE_PATH: path });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `org-cli: 1000 events read, 0 changed, ${unfilled} given their operation and guessed flag (stored before those had columns)`,
    );
  });

  it("records the personal baselines again from the events as classified now", async () => {
    const { env, path } = await simulated();
    await runCli(["poll", "--once"], env);
    const baselines = () => {
      const db = new Database(path, { readonly: true });
      const rows = [
        db.prepare("SELECT user_id, scope, first_seq FROM person_scopes ORDER BY 1, 2").all(),
        db.prepare("SELECT user_id, hour, calls FROM person_hours ORDER BY 1, 2").all(),
      ];
      db.close();
      return rows;
    };
    const before = baselines();
    expect(before[0]?.length).toBeGreaterThan(0);
    // A file whose MCP calls were stored as something else, and so taught no baseline.
    const db = new Database(path);
    db.exec(
      "UPDATE event_rows SET is_mcp = 0 WHERE is_mcp = 1; DELETE FROM person_scopes; DELETE FROM person_hours",
    );
    db.close();
    const result = await runCli(["reclassify"], { DATABASE_PATH: path });
    expect(result.code, result.stderr).toBe(0);
    expect(baselines()).toEqual(before);
    // A run cut short after the flags were written and before the baselines: the next run,
    // which has no flag to change, records them all the same.
    const cut = new Database(path);
    cut.exec("DELETE FROM person_scopes; DELETE FROM person_hours");
    cut.close();
    const again = await runCli(["reclassify"], { DATABASE_PATH: path });
    expect(again.stdout).toMatch(/ 0 changed;/);
    expect(baselines()).toEqual(before);
  });

  it("says in one line, with what to do, that the file is damaged", async () => {
    const { env, path } = await simulated();
    await runCli(["poll", "--once"], env);
    // Every page after the first two overwritten: what a failing disk leaves.
    const size = statSync(path).size;
    const file = openSync(path, "r+");
    writeSync(file, Buffer.alloc(size - 8_192, 0xff), 0, size - 8_192, 8_192);
    closeSync(file);
    const result = await runCli(["reclassify"], { DATABASE_PATH: path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the database file is damaged (SQLITE_CORRUPT");
    expect(result.stderr).toContain("restore the last backup");
    expect(result.stderr).not.toContain("    at ");
  });

  it("stops with the path of a bad rules file entry", async () => {
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, "mcpActionKeys: [ok, '']\nsurprise: 1\n");
    const result = await runCli(["reclassify"], {
      DATABASE_PATH: join(tempDir(), "x.db"),
      RULES_FILE: rules,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("mcpActionKeys.1: expected a non-empty action key");
    expect(result.stderr).toContain(
      '(top level): unknown key "surprise": the keys are mcpActionKeys',
    );
  });
});

describe("simulate", () => {
  it("serves a synthetic organization until SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [CLI, "simulate", "--port", "0", "--days", "1", "--every", "60"],
      {
        env: childEnv({}),
      },
    );
    const done = collect(child);
    let out = "";
    for await (const chunk of child.stdout) {
      out += String(chunk);
      if (out.includes("Ctrl-C")) break;
    }
    const url = /ATLASSIAN_API_BASE_URL=(\S+)/.exec(out)?.[1];
    const orgId = /ATLASSIAN_ORG_ID=(\S+)/.exec(out)?.[1];
    expect(out).toMatch(/14\d\d events of history, then one every 60 s/);
    const response = await fetch(`${url}/admin/v1/orgs`, {
      headers: { authorization: "Bearer sim-key" },
    });
    expect(await response.json()).toMatchObject({ data: [{ id: orgId, type: "orgs" }] });
    child.kill("SIGTERM");
    expect((await done).code).toBe(0);
  });

  it("rejects a bad option value", async () => {
    const result = await runCli(["simulate", "--days", "many"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--days must be a whole number from 0 to 180");
  });

  it("says an empty --api-key (an unset shell variable) is a mistake, without a stack trace", async () => {
    for (const key of ["", "  "]) {
      const result = await runCli(["simulate", "--port", "0", "--api-key", key], {});
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain("--api-key must not be empty");
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
