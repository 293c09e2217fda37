import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { NO_PLACE, type NormalizedEvent } from "../../src/domain/event.js";
import { EventActionStore } from "../../src/store/event-actions.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { tempDir } from "../helpers/tmp.js";
import { CHANNEL, slackRig } from "../slack/setup.js";
import { event, person } from "./engine-rig.js";
import { MCP_TOOL_CALLED, T0 } from "./fixtures.js";
import { rules } from "./rules-command.js";

/** One alert an hour; calls into SEC are medium, into HR high (first uses and new tools off). */
const RULES = [
  "maxAlertsPerHour: 1",
  "rules:",
  "  mcp-first-use: { enabled: false }",
  "  mcp-new-tool: { enabled: false }",
  "watch:",
  "  - { project: SEC, severity: medium }",
  "  - { space: HR, severity: high }",
].join("\n");

const SEC = { ...NO_PLACE, projects: ["SEC"], issues: ["SEC-5"] };
const HR = { ...NO_PLACE, spaces: ["HR"], pages: ["42"] };

/** A read by `who` into `place` at `time`, its tool named in the raw JSON as Atlassian does. */
function read(who: string, place: NormalizedEvent["place"], time: number): NormalizedEvent {
  const e = event({
    ...person(`acc-${who}`, `${who}@example.com`),
    tool: "getJiraIssue",
    toolClass: "read",
    resource: null,
    place,
    time,
    processedAt: time + 5_000,
  });
  const raw = JSON.parse(e.raw);
  raw.attributes.context.unshift({ type: "mcp-tool", attributes: { name: e.tool } });
  return { ...e, raw: JSON.stringify(raw) };
}

describe("rules test and the hour's roll-up", () => {
  it("counts the roll-up and the later post of an alert in it that turned high, as the channel got them", async () => {
    const r = await slackRig({ maxPerHour: 1 });
    new EventActionStore(r.db).replace("org-1", [MCP_TOOL_CALLED], () => false, T0 - 3 * DAY);
    const engine = new DetectionEngine({
      stores: r.stores,
      clock: r.clock,
      logger: r.logs.logger,
      orgId: "org-1",
      config: parseRulesText(RULES, "rules.yml"),
    });
    const live = async (e: NormalizedEvent) => {
      r.clock.advance((e.processedAt ?? e.time) + MINUTE - r.clock.now());
      r.stores.events.insertMany([e], r.clock.now());
      engine.run();
      await r.poster.drain();
    };
    // A first day that only teaches the replay, then three calls in one hour.
    r.stores.events.insertMany([read("zed", NO_PLACE, T0 - 2 * DAY)], T0 - 2 * DAY);
    await live(read("bob", SEC, T0 + MINUTE)); // medium: posted
    await live(read("carol", SEC, T0 + 5 * MINUTE)); // medium, past the budget: the roll-up
    await live(read("carol", HR, T0 + 10 * MINUTE)); // it turns high: posted alone
    const top = r.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);
    expect(top).toHaveLength(3);
    expect(top[1]?.metadata?.event_type).toBe("mcp_alert_rollup");

    const file = join(tempDir(), "rules.yml");
    writeFileSync(file, RULES);
    const days = String(Math.ceil((Date.now() - T0) / DAY) + 3);
    const replay = await rules(["test"], { DATABASE_PATH: r.db.name, RULES_FILE: file }, { days });
    expect(replay.code, replay.err).toBe(0);
    expect(replay.out).toMatch(/^mcp-watched-place\s+2\s+3\s+2\s+0$/m);
    expect(replay.out).toContain("channel: 3 message(s) in ");
    expect(replay.out).toContain(
      "1 alert(s) went into 1 hourly roll-up message(s) instead, 1 of them posted alone as well once it became high",
    );
  });
});
