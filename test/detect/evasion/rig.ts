import { DetectionEngine } from "../../../src/detect/engine.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import { AlertOutbox } from "../../../src/slack/alerts/alert-outbox.js";
import { alertRenderer } from "../../../src/slack/alerts/render.js";
import { AlertStore } from "../../../src/store/alerts.js";
import { repositories } from "../../../src/store/repositories.js";
import { MINUTE, rig } from "../../ingest/setup.js";

export { DAY } from "../../ingest/setup.js";
export { MINUTE };

let n = 0;
export const uid = () => `eeeeeeee-0000-4000-8000-${String(++n).padStart(12, "0")}`;

/**
 * The real pipeline on a real SQLite file: simulator on loopback, poller (normalize, store),
 * detection engine, alert outbox. A day of history is backfilled first (never alerted on).
 */
export async function pipeline(rulesYaml = "") {
  let engine: DetectionEngine | undefined;
  const r = await rig({ hours: 24, poller: { onCommit: () => engine?.runSafely() } });
  const stores = repositories(r.db);
  const config = parseRulesText(rulesYaml, "rules.yml");
  engine = new DetectionEngine({
    stores,
    clock: r.clock,
    logger: r.logs.logger,
    orgId: r.sim.orgId,
    config,
  });
  await r.poller.pollOnce(); // backfill
  const outbox = new AlertOutbox({
    outbox: stores.outbox,
    deliveries: stores.deliveries,
    logger: r.logs.logger,
    orgId: r.sim.orgId,
    channel: "CSEC",
    render: alertRenderer(stores),
    now: () => r.clock.now(),
    maxPerHour: config.maxAlertsPerHour,
  });
  const mcpAction = r.sim.org.actionKeyOf(r.sim.org.mcpActionKey);
  const store = new AlertStore(r.db);
  const site = {
    id: "site-1",
    type: "sites",
    attributes: { siteHostName: "https://acme.atlassian.net", siteName: "acme" },
  };
  /** A Rovo MCP tool call by `person`, the tool named by a context item unless `message` only. */
  const call = (o: {
    person?: { id: string; name?: string; email?: string };
    tool?: string;
    message?: string;
    context?: unknown[];
    auth?: Record<string, unknown>;
    time?: number;
    action?: string;
    extra?: Record<string, unknown>;
  }) => {
    const person = o.person ?? { id: "acct-mallory", name: "Mallory", email: "mallory@acme.test" };
    const context: unknown[] = [...(o.context ?? [])];
    if (o.tool !== undefined)
      context.unshift({ id: o.tool, type: "mcp-tool", attributes: { name: o.tool } });
    return {
      id: uid(),
      type: "events",
      attributes: {
        time: new Date(o.time ?? r.clock.now() - 10_000).toISOString(),
        action: o.action ?? mcpAction,
        actor: {
          ...person,
          auth: o.auth ?? { authType: "auth-token-for-3LO" },
          app: { id: "app-claude", type: "oauth-app", attributes: { name: "Claude" } },
        },
        context,
        container: [site],
        location: { ip: "203.0.113.7", countryName: "Ireland", city: "Dublin" },
        ...o.extra,
      },
      ...(o.message ? { message: { content: o.message, format: "simple" } } : {}),
    };
  };
  /** Injects items processed now, polls, judges, and queues what Slack would get. */
  const feed = async (items: unknown[]) => {
    r.sim.injectEvents(items);
    r.clock.advance(MINUTE);
    await r.poller.pollOnce();
    engine?.run();
    outbox.produce();
  };
  const alerts = () => store.list(r.sim.orgId);
  /** Alert messages queued for the channel (posts, not roll-ups), with their payload text. */
  const posted = () =>
    r.db
      .prepare("SELECT kind, ref, payload FROM outbox WHERE kind = 'alert' ORDER BY id")
      .all() as Array<{ kind: string; ref: string; payload: string }>;
  const event = (id: string) =>
    r.db.prepare("SELECT * FROM events WHERE id = ?").get(id) as Record<string, unknown>;
  return { r, engine, call, feed, alerts, posted, event, mcpAction, site };
}
