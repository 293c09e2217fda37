import { describe, expect, it, onTestFinished } from "vitest";
import { AtlassianClient } from "../../src/atlassian/client.js";
import { Poller } from "../../src/ingest/poller.js";
import { Secret } from "../../src/secret.js";
import { createWebClient } from "../../src/slack/client.js";
import { createPoster } from "../../src/slack/delivery.js";
import { repositories } from "../../src/store/repositories.js";
import { until } from "../helpers/until.js";
import { API_KEY, MINUTE, rig, storedIds, validIds } from "../ingest/setup.js";
import { BOT_TOKEN, CHANNEL, slackRig } from "../slack/setup.js";

// The clients' own timeouts (30 s and 15 s) shortened, so a slow answer costs a moment here.
describe("requests that outlast the client's timeout", () => {
  it("Atlassian: polls fail with a clear timeout, health says so, and the next poll loses nothing", async () => {
    const r = await rig({ hours: 2 });
    const client = new AtlassianClient({
      baseUrl: r.sim.url,
      orgId: r.sim.orgId,
      apiKey: new Secret(API_KEY),
      clock: r.clock,
      logger: r.logs.logger,
      maxWaitMs: MINUTE,
      timeoutMs: 150,
      random: () => 0.5,
    });
    const poller = new Poller({
      stores: repositories(r.db),
      client,
      clock: r.clock,
      logger: r.logs.logger,
      intervalMs: MINUTE,
      backfillDays: 1,
      pageLimit: 50,
    });
    await poller.pollOnce();
    r.clock.advance(10 * MINUTE);
    r.sim.injectFault({ kind: "delay", ms: 400 }, { times: 1_000 });
    const stop = new AbortController();
    const running = poller.run(stop.signal);
    onTestFinished(() => stop.abort());

    await until(() => (poller.health().lastError?.kind ?? "slow") !== "slow", "a failed poll");
    const failed = r.logs.lines().find((l) => String(l.msg).startsWith("poll failed: "));
    expect(failed).toMatchObject({
      level: 40,
      kind: "timeout",
      msg: "poll failed: GET /admin/v1/orgs/org-poller/events-stream took longer than 0.15 s",
    });
    expect(poller.health().lastError).toMatchObject({ kind: "timeout" });
    expect(r.logs.text()).toContain("took longer than 0.15 s; retrying");

    r.sim.clearFaults();
    const cleared = r.clock.now();
    await until(() => (poller.health().lastSuccessAt ?? 0) > cleared, "a poll after the fault");
    stop.abort();
    await running;
    const newest = r.db.prepare("SELECT max(processed_at) AS t FROM events").get() as {
      t: number;
    };
    expect(newest.t).toBeGreaterThanOrEqual(cleared - MINUTE);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, newest.t));
    expect(poller.health().healthy).toBe(true);
  });

  it("Slack: a post answered too late is not posted twice, and the outbox says what failed", async () => {
    const r = await slackRig();
    const client = createWebClient(new Secret(BOT_TOKEN), r.slack.url, r.logs.logger, {
      pauses: r.pauses,
      timeoutMs: 150,
    });
    const poster = createPoster({
      stores: r.stores,
      client,
      pauses: r.pauses,
      clock: r.clock,
      logger: r.logs.logger,
      alertChannel: CHANNEL,
      producers: [(enough) => r.alertOutbox.produceSome(enough).more],
    });
    const id = r.raise();
    r.slack.failNext("chat.postMessage", { delayMs: 400 });
    expect(await poster.drain()).toBe(0);
    expect(r.stores.outbox.health().pendingByKind).toEqual({ alert: 1 });
    const { lastError } = poster.health();
    expect(lastError).toMatchObject({ advice: null });
    expect(lastError?.code).toContain("timeout");
    const line = r.logs.lines().find((l) => String(l.msg).startsWith("Slack delivery failed"));
    expect(line).toMatchObject({ level: 40, component: "outbox" });
    expect(String(line?.msg)).toMatch(
      /\(.*timeout.*\); retrying with backoff\. Messages stay queued\.$/,
    );
    // Slack takes the post in the end; the outbox finds it instead of posting again.
    await r.slack.waitFor(() => r.slack.messages(CHANNEL).length === 1);
    r.clock.advance(60_000);
    await poster.drain();
    r.clock.advance(60_000);
    await poster.drain();
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
    expect(r.slack.callsTo("chat.postMessage")).toHaveLength(1);
    expect(r.stores.deliveries.get("org-1", id)?.ts).toBe(r.slack.messages(CHANNEL)[0]?.ts);
    expect(r.stores.outbox.health().pendingByKind).toEqual({});
    expect(poster.health().lastError).toBeNull();
  });
});
