/**
 * Commands whose answer is not whole: beside a bot whose first poll still reads the history (a
 * digest would say what is not read yet, so `digest --post` refuses, as the schedule waits, and
 * previews and `query` say so), and over time retention deleted (they say the events are gone,
 * not that nothing happened).
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { PrunedBeforeStore } from "../../src/store/pruned-before.js";
import { runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";

/** A store whose first poll read some history and is still at it (a bot polling, or stopped). */
async function backfilling() {
  const { env, path } = await simulatedOrg(600);
  expect((await runCli(["poll", "--once"], env)).code).toBe(0);
  const setBackfilling = (on: boolean) => {
    const db = new Database(path);
    db.prepare("UPDATE poll_state SET backfill_done = ?").run(on ? 0 : 1);
    db.close();
  };
  setBackfilling(true);
  return { env, path, setBackfilling };
}

const onDemand = (path: string) => {
  const db = new Database(path, { readonly: true });
  const n = db.prepare("SELECT count(*) FROM digests WHERE kind = 'on-demand'").pluck().get();
  db.close();
  return n;
};

describe("commands while the first poll reads the history", () => {
  it("digest --post refuses, saying why, and records nothing", async () => {
    const { path } = await backfilling();
    const post = await runCli(["digest", "--post"], { DATABASE_PATH: path });
    expect(post.code).toBe(1);
    expect(post.stderr).toContain(
      "not posted: the bot's first poll is still reading the audit log's history, so a digest now would leave out what is not read yet; post it once the backfill is done",
    );
    expect(onDemand(path)).toBe(0);
  });

  it("digest --dry-run, query and export say their answer is not whole, until the history is read", async () => {
    const { path, setBackfilling } = await backfilling();
    const env = { DATABASE_PATH: path };
    const preview = await runCli(["digest", "--dry-run"], env);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stderr).toContain("first poll is still reading the audit log's history");
    const asked = await runCli(["query", "since:30d"], env);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stderr).toContain("so this is not all of it yet");
    const json = await runCli(["query", "since:30d", "--json"], env);
    expect(JSON.parse(json.stdout).partial).toBe(true);
    const exported = await runCli(["export", "--since", "30d"], env);
    expect(exported.stderr).toContain("these records are not all of it yet");

    setBackfilling(false);
    const whole = await runCli(["query", "since:30d", "--json"], env);
    expect(whole.stderr).toBe("");
    expect(JSON.parse(whole.stdout).partial).toBe(false);
    expect((await runCli(["digest", "--dry-run"], env)).stderr).toBe("");
    expect((await runCli(["export", "--since", "30d"], env)).stderr).not.toContain("not all");
  });
});

describe("commands over time retention deleted", () => {
  it("query, export and a digest preview say the events before the cut were deleted", async () => {
    const { env, path } = await simulatedOrg(600);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const cut = Date.now() - 3 * 3_600_000;
    const db = new Database(path);
    new PrunedBeforeStore(db).record("org-cli", cut, Date.now());
    db.close();
    const stamp = new Date(cut).toISOString().slice(0, 16).replace("T", " ");
    const line = `events before ${stamp} UTC were deleted by retention (RETENTION_DAYS)`;
    const store = { DATABASE_PATH: path };

    const back = await runCli(["query", "since:1d", "--json"], store);
    expect(back.stderr).toContain(line);
    expect(JSON.parse(back.stdout).prunedBefore).toBe(new Date(cut).toISOString());
    const recent = await runCli(["query", "since:1h", "--json"], store);
    expect(recent.stderr).toBe("");
    expect(JSON.parse(recent.stdout).prunedBefore).toBeNull();

    expect((await runCli(["export", "--since", "1d"], store)).stderr).toContain(line);

    const day = new Date(Date.now() - 86_400_000 * 2).toISOString().slice(0, 10);
    const old = await runCli(["digest", "--dry-run", "--date", day], store);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).toContain(line);
  });
});
