import { join } from "node:path";
import { DetectionEngine } from "../../src/detect/engine.js";
import { parseRulesText, type RulesFile } from "../../src/detect/rules-file.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { AlertStore } from "../../src/store/alerts.js";
import { EventActionStore } from "../../src/store/event-actions.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { MCP_TOOL_CALLED, normalizedEvent, T0 } from "./fixtures.js";

let next = 0;

export function event(overrides: Partial<NormalizedEvent> = {}): NormalizedEvent {
  next++;
  const rest = normalizedEvent({ id: `ev-${next}`, ...overrides });
  return rest;
}

export function person(id: string, email: string): Partial<NormalizedEvent> {
  return {
    userId: id,
    actorId: id,
    userEmail: email,
    actorEmail: email,
    userName: email,
    actorName: email,
  };
}

/** An admin (Dana unless told) turning off two-step verification for `target`, at `time`. */
export function twoStepOff(
  target: { readonly id: string; readonly name: string },
  time: number,
  actor = "acc-dana",
): NormalizedEvent {
  const id = `2sv-${actor}-${target.id}-${time}`;
  const raw = JSON.stringify({
    id,
    attributes: {
      time: new Date(time).toISOString(),
      action: "twosv_disabled_for_user",
      actor: { id: actor },
      context: [{ id: target.id, type: "users", attributes: { name: target.name } }],
    },
  });
  return event({
    id,
    ...person(actor, `${actor.slice(4)}@example.com`),
    action: "twosv_disabled_for_user",
    isMcp: false,
    mcpBasis: null,
    tool: null,
    toolClass: null,
    clientApp: null,
    authKind: "unknown",
    raw,
    time,
    processedAt: time,
  });
}

/** A read by an integration's API token (a service account), changed by `over`. */
export function tokenCall(over: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return event({
    ...person("acc-svc", "svc@serviceaccount.atlassian.com"),
    authKind: "api-token",
    tokenLabel: "ci-mcp-agent",
    tool: "getJiraIssue",
    toolClass: "read",
    siteHost: "acme.atlassian.net",
    ...over,
  });
}

/**
 * A fresh store with MCP and settings actions known, and the engine of org-1 on a virtual clock
 * starting at `start`.
 */
export function setup(rules = "", start = T0) {
  const path = join(tempDir(), "detect.db");
  const db = openStore(path);
  new EventActionStore(db).replace(
    "org-1",
    [
      MCP_TOOL_CALLED,
      {
        action: "dsp_updated",
        displayName: "Data security policy updated",
        groupName: "Data security policies",
      },
    ],
    () => false,
    start,
  );
  const config = parseRulesText(rules, "rules.yml");
  const clock = new VirtualClock(start);
  const logs = capturedLogger();
  const engine = (cfg: RulesFile = config, beforeCommit?: () => void) =>
    new DetectionEngine({
      stores: repositories(db),
      clock,
      logger: logs.logger,
      orgId: "org-1",
      config: cfg,
      beforeCommit,
      batchSize: 50,
    });
  const store = (events: NormalizedEvent[], storedAt = start) =>
    db.transaction(() => new EventStore(db).insertMany(events, storedAt))();
  const alerts = () => new AlertStore(db).list("org-1");
  return { db, path, config, engine, store, alerts, logs, clock };
}

export function byRule(alerts: ReturnType<ReturnType<typeof setup>["alerts"]>) {
  return Object.fromEntries(alerts.map((a) => [a.ruleId, a]));
}
