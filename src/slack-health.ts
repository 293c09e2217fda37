import type { Clock } from "./clock.js";
import type { OutboxHealth } from "./domain/outbox.js";
import type { WatchedOrgs } from "./organizations.js";
import type { SlackPauses } from "./slack/outbox/pauses.js";
import type { SlackPoster } from "./slack/outbox/poster.js";
import { deliveryProblem } from "./slack/outbox/stalled.js";
import { cannotPostLine, type MissingScope } from "./slack/scopes.js";
import type { SignatureState } from "./slack/signatures.js";
import { type SocketState, socketDown } from "./slack/socket-connection.js";
import type { OutboxStore } from "./store/outbox.js";
import { isoOrNull } from "./time-units.js";

/** What the `slack` section of /healthz is read from. */
export interface SlackHealthSources {
  readonly clock: Clock;
  readonly orgs: WatchedOrgs;
  readonly outbox: OutboxStore;
  /** Alerts waiting to be queued for Slack (held back while it does not take the channel's posts). */
  readonly heldBack?: () => number;
  readonly pauses: SlackPauses;
  readonly poster: SlackPoster;
  /** Who may handle alerts, in words. */
  readonly responders: () => string;
  /** The scopes of manifest.yml the Slack app lacks; undefined while Slack has not said. */
  readonly missingScopes?: () => readonly MissingScope[] | undefined;
  /** In Socket Mode, the connection to Slack (undefined in HTTP mode, or before it starts). */
  readonly socketMode?: () => SocketState | undefined;
  /** In HTTP mode, how Slack's requests pass their signature check (undefined before it starts). */
  readonly signatures?: () => SignatureState | undefined;
}

/**
 * Slack as the outbox sees it: what waits, by kind, and for how long; the methods paused for the
 * workspace; the last failure of this process (with advice for a setup problem) and the last
 * message Slack refused for good. Unhealthy only for what the operator must fix.
 */
export function slackHealth(s: SlackHealthSources) {
  const now = s.clock.now();
  const outbox = s.outbox.health();
  const paused = s.pauses.active();
  const { lastError, alertChannelSharedExternally } = s.poster.health();
  const heldBack = s.heldBack?.() ?? 0;
  const pending = Object.values(outbox.pendingByKind).reduce((sum, n) => sum + n, heldBack);
  const until = paused.reduce((max, p) => Math.max(max, p.until), 0);
  const socket = s.socketMode?.();
  const signatures = s.signatures?.();
  const missingScopes = s.missingScopes?.() ?? null;
  // Without chat:write nothing is posted: unhealthy before the first post fails. Without the
  // others less works, which `missingScopes` and `status` say.
  const problem =
    deliveryProblem(lastError, outbox.oldestPendingAt, now) ??
    cannotPostLine(missingScopes) ??
    null;
  return {
    ok: problem === null && !socketDown(socket, now),
    problem,
    responders: s.responders(),
    // Never unhealthy: a warning at start says what it means.
    alertChannelSharedExternally,
    missingScopes,
    pendingDeliveries: pending,
    heldBack,
    outbox: {
      pending: outbox.pendingByKind,
      sending: outbox.inFlight,
      oldestPendingSeconds:
        outbox.oldestPendingAt === null
          ? null
          : Math.max(0, Math.round((now - outbox.oldestPendingAt) / 1000)),
    },
    paused: paused.map((p) => ({ method: p.method, until: isoOrNull(p.until), reason: p.reason })),
    pausedUntil: until > 0 ? isoOrNull(until) : null,
    ...(socket && {
      socketMode: {
        connected: socket.connected,
        since: isoOrNull(socket.since),
        lastError: socket.lastError,
      },
    }),
    // Never unhealthy: anyone reaching the port may send unsigned requests.
    ...(signatures && {
      requests: {
        refused: signatures.refused,
        refusedFor: signatures.refusedFor,
        clockBehind: signatures.clockBehind,
        firstRefusedAt: isoOrNull(signatures.firstRefusedAt),
        lastVerifiedAt: isoOrNull(signatures.lastVerifiedAt),
      },
    }),
    lastError: lastError && { ...lastError, at: isoOrNull(lastError.at) },
    lastPermanentFailure: permanentFailure(outbox.lastFailure, s.orgs),
  };
}

/**
 * The last message Slack refused for good, as anyone reaching /healthz may read it: what it was,
 * about which organization or alert, why and when; never whom it was for, nor an organization
 * no longer watched (a message queued before ATLASSIAN_ORG_ID changed), nor its alert.
 */
function permanentFailure(failure: OutboxHealth["lastFailure"], orgs: WatchedOrgs) {
  if (failure === null) return null;
  const { kind, orgId, alertId, reason, at } = failure;
  const gone = orgId !== null && !orgs.includes(orgId);
  return gone
    ? { kind, orgId: null, alertId: null, reason, at: isoOrNull(at) }
    : { kind, orgId, alertId, reason, at: isoOrNull(at) };
}

export type SlackHealth = ReturnType<typeof slackHealth>;
