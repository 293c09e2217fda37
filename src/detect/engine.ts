import type { Clock } from "../clock.js";
import { type ActionInfo, maxSeverity } from "../domain.js";
import type { Logger } from "../logger.js";
import type { Alert, Growth, NewAlert } from "../store/alerts.js";
import { AlertStore } from "../store/alerts.js";
import { EventActionStore } from "../store/event-actions.js";
import { EventStore, type StoredEvent } from "../store/events.js";
import { FactStore } from "../store/facts.js";
import { MuteStore } from "../store/mutes.js";
import type { Db } from "../store/open.js";
import { type SubjectRegistry, SubjectStore } from "../store/subjects.js";
import { SuppressionStore, suppressionLabel } from "../store/suppressions.js";
import { DAY, MINUTE } from "../time-units.js";
import { type Judgement, judge, neededFacts } from "./judge.js";
import { RULES } from "./rules/index.js";
import type { BurstSettings } from "./rules/mcp-burst.js";
import type { NewLocationSettings } from "./rules/mcp-new-location.js";
import type { RulesFile } from "./rules-file.js";
import type { AlertMode, FactKind, Facts } from "./types.js";

/** An event processed this long after it happened is flagged "arrived late". */
export const LATE_MS = 60 * MINUTE;

const RULE_BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

/** The group a finding joins: its rule and person (quiet findings apart). */
function groupKeyOf(event: StoredEvent, finding: Judgement): string {
  return `${finding.ruleId}|${personKey(event)}${finding.suppressedBy ? "|suppressed" : ""}`;
}

/** Who an alert is about, as grouping and mutes key it: the person, else the actor. */
export function personKey(event: Pick<StoredEvent, "userId" | "actorId">): string {
  return event.userId ?? event.actorId ?? "unknown";
}

/** Where grouped alerts go: the store, or memory when replaying history (`rules test`). */
export interface AlertSink {
  /** The subjects already alerted about (`once` mode). */
  readonly subjects: SubjectRegistry;
  findGroup(
    orgId: string,
    groupKey: string,
    since: number,
  ): Pick<Alert, "id" | "tools" | "severity" | "orgId" | "firstSeen"> | undefined;
  insert(alert: NewAlert): number;
  grow(alert: Pick<Alert, "id" | "orgId">, event: Growth, now: number): void;
}

export interface EngineOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly orgId: string;
  readonly config: RulesFile;
  readonly batchSize?: number;
  /** Runs inside each batch's transaction just before it commits (tests use it to crash there). */
  readonly beforeCommit?: () => void;
}

export interface RunResult {
  readonly evaluated: number;
  readonly raised: number;
  readonly grown: number;
}

/**
 * Runs the rules over newly stored live events: reads the facts each needs, groups findings into
 * alerts, and writes them with the position reached in one transaction, so a crash neither loses
 * nor doubles an alert.
 */
export class DetectionEngine {
  private readonly events: EventStore;
  private readonly facts: FactStore;
  private readonly alerts: AlertStore;
  private readonly actions: EventActionStore;
  private readonly mutes: MuteStore;
  private readonly suppressions: SuppressionStore;
  /** Where live alerts go: the alerts table and the subjects already alerted about. */
  private readonly sink: AlertSink;
  private readonly needs: Set<FactKind>;
  private readonly log: Logger;
  private lastFailure: { message: string; at: number } | null = null;

  constructor(private readonly o: EngineOptions) {
    this.events = new EventStore(o.db);
    this.facts = new FactStore(o.db);
    this.alerts = new AlertStore(o.db);
    this.actions = new EventActionStore(o.db);
    this.mutes = new MuteStore(o.db);
    this.suppressions = new SuppressionStore(o.db);
    const alerts = this.alerts;
    this.sink = {
      subjects: new SubjectStore(o.db),
      findGroup: (orgId, groupKey, since) => alerts.findGroup(orgId, groupKey, since),
      insert: (alert) => alerts.insert(alert),
      grow: (alert, event, now) => alerts.grow(alert, event, now),
    };
    this.needs = neededFacts(o.config);
    this.log = o.logger.child({ component: "detect", orgId: o.orgId });
  }

  /** Evaluates everything stored since the last run. */
  run(): RunResult {
    const { db, orgId, clock } = this.o;
    const limit = this.o.batchSize ?? 500;
    const catalog = new Map(this.actions.all(orgId).map((info) => [info.action, info]));
    const total = { evaluated: 0, raised: 0, grown: 0 };
    for (;;) {
      const done = db.transaction(() => {
        const after = this.alerts.lastEvaluated(orgId) ?? 0;
        const batch = this.events.liveAfter(orgId, after, limit);
        // Fewer than a batch: everything else up to the newest row is backfilled history.
        const upTo =
          batch.length < limit ? this.events.maxSeq(orgId) : (batch.at(-1)?.seq ?? after);
        for (const event of batch) {
          const counts = this.process(event, catalog, this.sink);
          total.raised += counts.raised;
          total.grown += counts.grown;
        }
        total.evaluated += batch.length;
        if (upTo > after) this.alerts.setLastEvaluated(orgId, upTo, clock.now());
        this.o.beforeCommit?.();
        return batch.length < limit;
      })();
      if (done) break;
    }
    if (total.raised + total.grown > 0)
      this.log.info(total, `rules: ${total.raised} alert(s) raised, ${total.grown} grown`);
    return total;
  }

  /** `run()` for callers that must not fail: an error is logged and kept for health; the next run catches up. */
  runSafely(): RunResult | undefined {
    try {
      const result = this.run();
      this.lastFailure = null;
      return result;
    } catch (error) {
      const message = (error as Error).message;
      this.lastFailure = { message, at: this.o.clock.now() };
      this.log.error(
        { err: error },
        `the rules could not run: ${message}; they retry after the next commit`,
      );
      return undefined;
    }
  }

  /** The last failure of the rules, while they keep failing. */
  failure(): { readonly message: string; readonly at: number } | null {
    return this.lastFailure;
  }

  /** Replays events through the rules into `sink` (no position is moved). */
  replay(events: readonly StoredEvent[], sink: AlertSink): RunResult {
    const catalog = new Map(this.actions.all(this.o.orgId).map((info) => [info.action, info]));
    const total = { evaluated: 0, raised: 0, grown: 0 };
    for (const event of events) {
      const counts = this.process(event, catalog, sink);
      total.evaluated++;
      total.raised += counts.raised;
      total.grown += counts.grown;
    }
    return total;
  }

  private process(
    event: StoredEvent,
    catalog: ReadonlyMap<string, ActionInfo>,
    sink: AlertSink,
  ): { raised: number; grown: number } {
    const counts = { raised: 0, grown: 0 };
    const facts = this.factsFor(event, catalog);
    for (const judged of judge(event, facts, this.o.config)) {
      const muted = judged.suppressedBy ? undefined : this.quietedBy(event, judged.ruleId);
      const mode = this.o.config.rules[judged.ruleId]?.mode ?? { kind: "alert" };
      let finding: Judgement = muted ? { ...judged, suppressedBy: muted, notify: false } : judged;
      if (mode.kind === "digest") finding = { ...finding, notify: false };
      const once =
        mode.kind === "once" && finding.notify
          ? this.once(event, facts, finding, mode, sink)
          : undefined;
      if (once?.quiet) finding = { ...finding, notify: false, suppressedBy: once.quiet };
      const { id, grown } = this.group(event, finding, sink, mode);
      if (grown) counts.grown++;
      else counts.raised++;
      if (once && !once.quiet && finding.notify)
        sink.subjects.record(event.orgId, finding.ruleId, once.subject, id, event.time, once.until);
    }
    return counts;
  }

  /** The reason a responder's suppression, else a mute, keeps this finding out of Slack. */
  private quietedBy(event: StoredEvent, ruleId: string): string | undefined {
    const who = personKey(event);
    const suppression = this.suppressions.coveringAt(event.orgId, ruleId, who, event.time);
    return suppression
      ? suppressionLabel(suppression)
      : this.mutes.reasonAt(event.orgId, ruleId, who, event.time);
  }

  /**
   * `once`: whether this finding's subject was alerted about already (then it is quiet, unless it
   * grows that very alert). A first live finding alerts even when the history had it, saying how
   * often.
   */
  private once(
    event: StoredEvent,
    facts: Facts,
    finding: Judgement,
    mode: Extract<AlertMode, { kind: "once" }>,
    sink: AlertSink,
  ): { subject: string; until: number | null; quiet?: string } {
    const rule = RULE_BY_ID.get(finding.ruleId);
    const subject = rule?.subject?.(event, facts) ?? personKey(event);
    const until = mode.days === null ? null : event.time + mode.days * DAY;
    const known = sink.subjects.known(event.orgId, finding.ruleId, subject, event.time);
    if (!known) return { subject, until };
    const open = sink.findGroup(
      event.orgId,
      groupKeyOf(event, finding),
      event.time - this.windowMs(mode),
    );
    if (open?.id === known.alertId) return { subject, until };
    return {
      subject,
      until,
      quiet: `already alerted about this ${rule?.subjectName ?? "person"} (alert ${known.alertId}): in the digest only`,
    };
  }

  private windowMs(mode: AlertMode): number {
    return mode.kind === "group"
      ? mode.windowHours * 60 * MINUTE
      : this.o.config.groupingWindowMinutes * MINUTE;
  }

  private factsFor(event: StoredEvent, catalog: ReadonlyMap<string, ActionInfo>): Facts {
    const facts: { -readonly [K in keyof Facts]: Facts[K] } = {};
    if (this.needs.has("action")) facts.action = catalog.get(event.action);
    if (!event.isMcp || event.userId === null) return facts;
    if (this.needs.has("seenBefore")) facts.seenBefore = this.facts.seenBefore(event);
    if (this.needs.has("recent")) {
      const burst = this.o.config.rules["mcp-burst"]?.settings as BurstSettings;
      facts.recent = this.facts.recent(event, burst.windowMinutes * MINUTE);
    }
    if (this.needs.has("volume")) facts.volume = this.facts.volume(event);
    if (this.needs.has("tokenHistory") && event.authKind === "api-token")
      facts.tokenHistory = this.facts.tokenCallsInHistory(event);
    if (this.needs.has("places")) {
      const location = this.o.config.rules["mcp-new-location"]?.settings as NewLocationSettings;
      facts.places = this.facts.places(event, location.lookbackDays * DAY);
    }
    return facts;
  }

  /** Adds the finding to its group's open alert, or opens one; which alert, and whether it grew. */
  private group(
    event: StoredEvent,
    finding: Judgement,
    sink: AlertSink,
    mode: AlertMode,
  ): { id: number; grown: boolean } {
    const groupKey = groupKeyOf(event, finding);
    const late = event.processedAt !== null && event.processedAt - event.time > LATE_MS;
    const now = this.o.clock.now();
    const windowMs = this.windowMs(mode);
    const open = sink.findGroup(event.orgId, groupKey, event.time - windowMs);
    // A group's window starts at its first finding: a day of destructive calls, then a new alert.
    const existing =
      open && (mode.kind !== "group" || event.time - open.firstSeen < windowMs) ? open : undefined;
    if (existing) {
      const tools =
        event.tool && !existing.tools.includes(event.tool)
          ? [...existing.tools, event.tool]
          : existing.tools;
      const severity = maxSeverity(finding.severity, existing.severity);
      sink.grow(existing, { seq: event.seq, time: event.time, late, tools, severity }, now);
      return { id: existing.id, grown: true };
    }
    const id = sink.insert({
      orgId: event.orgId,
      ruleId: finding.ruleId,
      severity: finding.severity,
      groupKey,
      title: finding.title,
      detail: finding.detail,
      userId: event.userId,
      userName: event.userName,
      userEmail: event.userEmail,
      authKind: event.authKind,
      firstEventSeq: event.seq,
      lastEventSeq: event.seq,
      firstSeen: event.time,
      lastSeen: event.time,
      eventCount: 1,
      tools: event.tool ? [event.tool] : [],
      late,
      suppressedBy: finding.suppressedBy,
      notify: finding.notify,
      createdAt: now,
    });
    return { id, grown: false };
  }
}
