/**
 * GET /metrics of the running bot (real HTTP, real SQLite, the simulator and the fake Slack),
 * read with the strict rules of Prometheus' text format: one HELP and TYPE per family before its
 * samples, a family's lines together, no series twice, label values escaped, counters named
 * _total and never going down between scrapes, histograms whole.
 */
import { describe, expect, it } from "vitest";
import { SiemReceiver } from "./fakes/siem-receiver.js";
import { sendCommand } from "./fakes/slack-command.js";
import {
  CHANNEL,
  injectDestructiveCall,
  type Running,
  SECRET,
  startFaultyApp,
} from "./faults/harness.js";
import { closeAfterTest } from "./helpers/cleanup.js";
import { type Family, parseExposition } from "./helpers/exposition.js";
import { until } from "./helpers/until.js";

const EXPORT_SECRET = "x".repeat(40);
const RESPONDER = "U0RESPONDER";

async function scrape(r: Running): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${r.app.port}/metrics`);
  return { status: response.status, text: await response.text() };
}

/** The counters' and histograms' series that vanished or went down from `a` to `b`. */
function wentDown(a: Map<string, Family>, b: Map<string, Family>): string[] {
  const down: string[] = [];
  for (const [name, f] of a) {
    if (f.type !== "counter" && f.type !== "histogram") continue;
    for (const s of f.samples) {
      if (f.type === "histogram" && s.name.endsWith("_sum")) continue;
      const key = JSON.stringify(s.labels);
      const later = b
        .get(name)
        ?.samples.find((x) => x.name === s.name && JSON.stringify(x.labels) === key);
      if (!later) down.push(`${s.name}${key} vanished`);
      else if (later.value < s.value) down.push(`${s.name}${key} ${s.value} -> ${later.value}`);
    }
  }
  return down;
}

describe("GET /metrics, read strictly", () => {
  it("is valid exposition text whatever the organization id and Slack's error codes", async () => {
    const siem = await SiemReceiver.start(EXPORT_SECRET);
    closeAfterTest(() => siem.close());
    const orgId = 'acme"q\\x{y}';
    const r = await startFaultyApp({
      orgId,
      env: { EXPORT_URL: siem.url, EXPORT_SECRET, SLACK_RESPONDERS: RESPONDER },
    });
    r.slack.addUser({ id: RESPONDER, name: "responder", email: "responder@example.com" });
    r.slack.failNext("chat.postMessage", { error: 'odd"code\\with\nnewline' }, 3);
    injectDestructiveCall(r, "d1");
    await until(() => r.slack.callsTo("chat.postMessage").length > 0, "a post");
    await sendCommand(r.slack, `http://127.0.0.1:${r.app.port}/slack/events`, SECRET, "status", {
      text: "status",
      user_id: RESPONDER,
      team_id: "T0FAULTS",
      channel_id: CHANNEL,
    });
    await r.slack.waitFor(() => r.slack.responses.length === 1, 5_000, "the answer");

    const first = await scrape(r);
    expect(first.status).toBe(200);
    const a = parseExposition(first.text);
    expect(a.problems).toEqual([]);
    const labels = a.families.get("mcp_activity_events_stored")?.samples[0]?.labels;
    expect(labels).toEqual({ org: orgId });
    expect(first.text).toContain("mcp_activity_command_duration_seconds_count");
    // HTTP mode: no connection to Slack to be up or down.
    expect(a.families.has("mcp_activity_slack_socket_up")).toBe(false);

    await new Promise((done) => setTimeout(done, 1500));
    const b = parseExposition((await scrape(r)).text);
    expect(b.problems).toEqual([]);
    // Counters never go down within a process.
    expect(wentDown(a.families, b.families)).toEqual([]);
  });
});
