import type { HandledLately, OrganizationGlance, OrganizationHome } from "../../domain/home.js";
import type { OrganizationStatus } from "../../domain/status.js";
import type { Repositories } from "../../store/repositories.js";
import { DAY } from "../../time-units.js";
import { readLearned } from "../alerts/triage.js";
import { HANDLED_SHOWN, HANDLED_UNDO_MS } from "../blocks/home-handled.js";

const TOP = 5;

/** What each organization's Home part needs besides the store. */
export interface OrganizationFacts {
  readonly orgId: string;
  readonly status: () => Pick<
    OrganizationStatus,
    "healthy" | "lastPoll" | "lagSeconds" | "problems"
  >;
  readonly apiKeyExpires: number | undefined;
  /** Whether the audit log refuses the key now. */
  readonly apiKeyRejected: () => boolean;
}

/**
 * The latest time before which retention deleted the calls of any of these organizations, when
 * it falls after `since`: a Home's period, or the one it is compared with, is partly gone.
 */
export function deletedSince(
  prunedBefore: Repositories["prunedBefore"],
  orgIds: readonly string[],
  since: number,
): number | undefined {
  const cuts = orgIds.flatMap((id) => prunedBefore.within(id, since) ?? []);
  return cuts.length === 0 ? undefined : Math.max(...cuts);
}

/** What the Home's layout and an organization's one line need (see homeLayout). */
export function organizationGlance(
  home: Repositories["home"],
  f: OrganizationFacts,
  name: string | undefined,
): OrganizationGlance {
  return {
    orgId: f.orgId,
    name,
    unposted: home.openUnposted(f.orgId),
    openBySeverity: home.openBySeverity(f.orgId),
    health: f.status(),
    apiKeyExpires: f.apiKeyExpires,
    apiKeyRejected: f.apiKeyRejected(),
  };
}

/**
 * One organization's part of a responder's Home as of `now`, `alerts` of its open alerts listed:
 * its last 24 hours against the 24 before, not compared when retention deleted part of those
 * (RETENTION_DAYS=1).
 */
export function organizationHome(
  stores: Pick<Repositories, "home" | "prunedBefore" | "alerts" | "mutes" | "suppressions">,
  glance: OrganizationGlance,
  now: number,
  alerts: number,
): OrganizationHome {
  const { home } = stores;
  const { orgId } = glance;
  const { alerts: openAlerts, unposted } = home.openAlerts(orgId, alerts);
  return {
    ...glance,
    openAlerts,
    // Their Mute 30 days and Suppress, as their messages offer them.
    learned: new Map(openAlerts.map((a) => [a.id, readLearned(stores, a, now)])),
    unpostedListed: unposted,
    today: home.figures(orgId, now - DAY, now),
    yesterday: home.figures(orgId, now - 2 * DAY, now - DAY),
    deletedBefore: deletedSince(stores.prunedBefore, [orgId], now - 2 * DAY),
    topPeople: home.topPeople(orgId, now - DAY, now, TOP),
    topTools: home.topTools(orgId, now - DAY, now, TOP),
  };
}

/**
 * The alerts with no message of their own handled within HANDLED_UNDO_MS of `now`, in any of
 * these organizations, the latest first: the Home keeps their Undo.
 */
export function handledLately(
  home: Pick<Repositories["home"], "handledUnposted">,
  orgIds: readonly string[],
  now: number,
): HandledLately {
  const each = orgIds.map((id) => home.handledUnposted(id, now - HANDLED_UNDO_MS, HANDLED_SHOWN));
  const alerts = each
    .flatMap((h) => h.alerts)
    .sort((a, b) => b.at - a.at || b.alert.id - a.alert.id)
    .slice(0, HANDLED_SHOWN);
  return { alerts, total: each.reduce((n, h) => n + h.total, 0) };
}
