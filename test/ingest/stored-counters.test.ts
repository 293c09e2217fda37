import { describe, expect, it, onTestFinished } from "vitest";
import { AtlassianClient, type StreamRequest } from "../../src/atlassian/client.js";
import { Poller } from "../../src/ingest/poller.js";
import type { PollerOptions } from "../../src/ingest/poller-options.js";
import { Metrics } from "../../src/metrics.js";
import { Secret } from "../../src/secret.js";
import { repositories } from "../../src/store/repositories.js";
import { until } from "../helpers/until.js";
import { API_KEY, MINUTE, NOW, type Rig, rig } from "./setup.js";

/** A client whose stream answers 500s from its `from`-th request on: an outage past the retries. */
class OutageFrom extends AtlassianClient {
  requests = 0;
  from = Number.POSITIVE_INFINITY;

  constructor(private readonly r: Rig) {
    super({
      baseUrl: r.sim.url,
      orgId: r.sim.orgId,
      apiKey: new Secret(API_KEY),
      clock: r.clock,
      logger: r.logs.logger,
      maxWaitMs: MINUTE,
      timeoutMs: 2_000,
      random: () => 0.5,
    });
  }

  override streamPage(request: StreamRequest, signal?: AbortSignal) {
    if (++this.requests === this.from)
      this.r.sim.injectFault({ kind: "server-error" }, { times: 100_000 });
    return super.streamPage(request, signal);
  }
}

/**
 * The poller on `client` with the metrics wired as watched-organization.ts wires them, run until a
 * poll fails for the outage; then the counters of GET /metrics for the organization.
 */
async function runUntilTheOutage(
  r: Rig,
  client: OutageFrom,
  onPoll: PollerOptions["onPoll"] = () => undefined,
) {
  const metrics = new Metrics();
  const orgId = r.sim.orgId;
  const poller = new Poller({
    stores: repositories(r.db),
    client,
    clock: r.clock,
    logger: r.logs.logger,
    intervalMs: MINUTE,
    backfillDays: 7,
    pageLimit: 50,
    batchSize: 50,
    onPoll: (outcome) => {
      metrics.polled(orgId, outcome);
      onPoll(outcome);
    },
    onStored: (added) => metrics.stored(orgId, added),
  });
  const stop = new AbortController();
  const running = poller.run(stop.signal);
  onTestFinished(() => stop.abort());
  await until(() => poller.health().lastError?.kind === "server", "a poll failed by the outage");
  stop.abort();
  await running;
  const text = await metrics.render();
  const counter = (name: string) => {
    const line = text.split("\n").find((l) => l.startsWith(`${name}{org="${orgId}"}`));
    return line === undefined ? 0 : Number(line.split(" ").at(-1));
  };
  return {
    text,
    ingested: counter("mcp_activity_events_ingested_total"),
    quarantined: counter("mcp_activity_events_quarantined_total"),
  };
}

const quarantinedRows = (r: Rig) =>
  (r.db.prepare("SELECT count(*) AS n FROM quarantined_events").get() as { n: number }).n;

describe("the ingested and quarantined counters", () => {
  it("count what a backfill stored before an outage failed it: it is in the database", async () => {
    // Ten hours at 50 a page: from the fourth request on, the stream answers 500s.
    const r = await rig({ hours: 10 });
    const client = new OutageFrom(r);
    client.from = 4;
    const { text, ingested } = await runUntilTheOutage(r, client);
    expect(r.count()).toBeGreaterThanOrEqual(100);
    expect(text).not.toContain('mcp_activity_polls_total{org="org-poller",outcome="ok"}');
    expect(text).toMatch(/mcp_activity_poll_errors_total\{org="org-poller",kind="server"\} [1-9]/);
    expect(ingested).toBe(r.count());
  });

  it("count a failed poll's new events, not what it read again nor broken items kept before", async () => {
    const r = await rig({ hours: 1 });
    const client = new OutageFrom(r);
    let polls = 0;
    let before = 0;
    const { ingested, quarantined } = await runUntilTheOutage(r, client, (outcome) => {
      if ("kind" in outcome) return;
      polls++;
      if (polls === 1)
        r.sim.injectEvents([
          "not an event",
          { id: "no-time", attributes: { action: "x" } },
          { attributes: { time: new Date(NOW).toISOString(), action: "y" } },
          { id: "good-1", attributes: { time: new Date(NOW).toISOString(), action: "z" } },
        ]);
      if (polls !== 2) return;
      // The next poll reads by time from the last event less the overlap (the same events and
      // broken items again, then two hours more), and the outage fails it after its first page.
      expect(quarantinedRows(r)).toBe(3);
      before = r.count();
      r.sim.expireCursors();
      r.clock.advance(120 * MINUTE);
      client.from = client.requests + 3;
    });
    expect(polls).toBe(2);
    expect(r.count("id = 'good-1'")).toBe(1);
    expect(r.count()).toBeGreaterThan(before); // the failed poll's first page is stored
    expect(ingested).toBe(r.count());
    expect(quarantinedRows(r)).toBe(3);
    expect(quarantined).toBe(3);
  });
});
