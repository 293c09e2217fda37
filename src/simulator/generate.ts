/** Event `index` of the synthetic org: a pure function of (seed, index). */

import { HOUR } from "../time-units.js";
import { mcpAppAuthorization, otherAppAuthorization, settingsChange } from "./admin-events.js";
import type { AuditEvent } from "./audit-json.js";
import type { Draft, GenContext } from "./common.js";
import { type McpCallInfo, mcpCall } from "./mcp-call.js";
import { noise } from "./noise-events.js";
import { hashInts, Rng } from "./prng.js";
import { realisticDraft } from "./workday.js";

export type EventKind =
  | "mcp-call"
  | "mcp-app-authorization"
  | "app-authorization"
  | "settings"
  | "identity"
  | "noise";

export interface Generated {
  readonly index: number;
  readonly kind: EventKind;
  readonly event: AuditEvent;
  /** Set for kind "mcp-call". */
  readonly mcp: McpCallInfo | undefined;
  /** `time` is hours (up to 2 days) before `processedAt`. */
  readonly late: boolean;
}

function draftAt(
  ctx: GenContext,
  index: number,
  rng: Rng,
): { kind: EventKind; draft: Draft; mcp?: McpCallInfo } {
  const site = ctx.authIndexes.indexOf(index);
  if (site >= 0)
    return { kind: "mcp-app-authorization", draft: mcpAppAuthorization(ctx, site, rng) };
  if (ctx.workday) {
    const ms = ctx.processedAtOf(index);
    return realisticDraft(ctx, ctx.workday, { ...ctx, index, ms }, rng);
  }
  const roll = rng.next();
  if (roll < 0.65) {
    const call = mcpCall(ctx, index, rng);
    if (call) return { kind: "mcp-call", draft: call.draft, mcp: call.info };
  } else if (roll < 0.652) {
    return { kind: "settings", draft: settingsChange(ctx, rng) };
  } else if (roll < 0.653) {
    return { kind: "app-authorization", draft: otherAppAuthorization(ctx, rng) };
  }
  return { kind: "noise", draft: noise(ctx, rng) };
}

export function generateAt(
  ctx: GenContext,
  index: number,
  id: string,
  processedAtMs: number,
): Generated {
  const { kind, draft, mcp } = draftAt(ctx, index, new Rng(hashInts(ctx.seed, index)));
  const timing = new Rng(hashInts(ctx.seed, index, 0x7143));
  const late = timing.chance(0.01);
  const delay = late
    ? HOUR + timing.int(47 * HOUR)
    : Math.min(120_000, Math.floor(-Math.log(1 - timing.next()) * 4_000));
  let time = new Date(processedAtMs - delay).toISOString();
  // Atlassian sometimes omits the milliseconds.
  if (timing.chance(0.1)) time = time.replace(/\.\d{3}Z$/, "Z");
  const attributes: AuditEvent["attributes"] = {
    time,
    processedAt: new Date(processedAtMs).toISOString(),
    action: ctx.actionKeyOf(draft.action),
    actor: draft.actor,
    context: draft.context,
    container: draft.container,
  };
  if (draft.location) attributes.location = draft.location;
  const links = { self: `https://api.atlassian.com/admin/v1/orgs/${ctx.orgId}/events/${id}` };
  const event: AuditEvent = draft.message
    ? { id, type: "events", attributes, message: draft.message, links }
    : { id, type: "events", attributes, links };
  return { index, kind, event, late, mcp };
}
