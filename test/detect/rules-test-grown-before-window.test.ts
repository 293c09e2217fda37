/**
 * `rules test --days 7` starts knowing the subjects the bot had told before the days it replays.
 * A subject told by an alert opened out of the channel just before those days and brought to it
 * inside them is dated when it was told, inside them: the replay posts it as the bot did.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DAY, MINUTE } from "../../src/time-units.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { event, person, setup } from "./engine-rig.js";

const RULES = "rules:\n  api-token-created: { mode: once }\n";
const mallory = person("acc-mallory", "mallory@acme.test");

/** Mallory creating an API token labelled `label` at `time`. */
function tokenCreated(label: string, time: number) {
  const id = `tok-${label}-${time}`;
  return event({
    id,
    ...mallory,
    action: "api_token_created",
    isMcp: false,
    mcpBasis: null,
    tool: null,
    toolClass: null,
    clientApp: null,
    authKind: "unknown",
    raw: JSON.stringify({
      id,
      attributes: {
        time: new Date(time).toISOString(),
        action: "api_token_created",
        actor: { id: "acc-mallory" },
        context: [{ id: `t-${label}`, type: "api-token", attributes: { label } }],
      },
    }),
    message: `Mallory created API token “${label}”`,
    time,
    processedAt: time,
  });
}

describe("rules test agrees with the bot about an alert grown into the channel", () => {
  it("posts what the bot posted inside the days replayed", async () => {
    const now = Date.now();
    const s = setup(RULES, now - 10 * DAY);
    s.store(
      [event({ ...person("acc-bob", "bob@example.com"), time: now - 10 * DAY })],
      now - 10 * DAY,
    );
    s.engine().run();
    const live = (e: ReturnType<typeof event>, at: number) => {
      s.clock.advance(at - s.clock.now());
      s.store([e], at);
      s.engine().run();
    };
    const since = now - 7 * DAY;
    live(tokenCreated("backup-script", since - 4 * MINUTE), since - 4 * MINUTE); // low: not posted
    live(tokenCreated("claude-mcp", since + 4 * MINUTE), since + 4 * MINUTE); // high: grows it, posted
    const posted = s.alerts().filter((a) => a.ruleId === "api-token-created" && a.notify);
    expect(posted).toHaveLength(1);
    s.db.close();
    const file = join(tempDir(), "rules.yml");
    writeFileSync(file, RULES);
    const replay = await runCli(["rules", "test", "--days", "7"], {
      DATABASE_PATH: s.path,
      RULES_FILE: file,
    });
    expect(replay.code, replay.stderr).toBe(0);
    const row = /^api-token-created\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(replay.stdout);
    // alerts, events, posted, quieted: the bot posted one alert in these days.
    expect(row?.slice(3).map(Number)).toEqual([1, 0]);
  }, 120_000);
});
