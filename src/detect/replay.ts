import { type AlertStatus, type NewAlert, takesFindings } from "../domain/alert.js";
import type { Severity } from "../domain/severity.js";
import { MemorySubjects, type SubjectAlerted } from "../store/subjects.js";
import type { StatusAt } from "../store/trail.js";
import type { Planned } from "./budget.js";
import type { AlertSink } from "./grouping.js";

interface Held {
  id: number;
  orgId: string;
  ruleId: string;
  tools: readonly string[];
  severity: Severity;
  firstSeen: number;
  lastSeen: number;
  /** When its first call was processed (see DetectionEngine.process): what counts it. */
  readAt: number;
  events: number;
  notify: boolean;
  /** When it could first be posted (its first finding for the channel), and as severe as then. */
  postable: { at: number; severity: Severity } | undefined;
  /** When it became high, if it was not when it could first be posted. */
  highAt: number | undefined;
  suppressed: boolean;
  /** Posts past the hour's budget (see budgetFor). */
  aboutOrganization: boolean;
  /** The status changes responders made to the bot's alert begun by the same call. */
  changes: readonly StatusAt[];
}

/** The status changes of the bot's alert of `ruleId` that took the call `seq` (TrailStore). */
export type StatusChanges = (orgId: string, ruleId: string, seq: number) => readonly StatusAt[];

/** The status the changes had given an alert at `at`: open until the first. */
function statusAt(changes: readonly StatusAt[], at: number): AlertStatus {
  let status: AlertStatus = "open";
  for (const change of changes) if (change.at <= at) status = change.to;
  return status;
}

export interface RuleTally {
  readonly ruleId: string;
  readonly alerts: number;
  readonly events: number;
  readonly posted: number;
  readonly suppressed: number;
}

/**
 * Alerts kept in memory, for `rules test`: what the rules would have raised, nothing stored. Only
 * alerts whose first call was processed at `countFrom` or later are counted (the first day stored
 * starts at the first call processed; a call may have been made before it); those before it only
 * teach the rules. It
 * starts knowing `alerted`, the subjects the bot had alerted about before the replayed events
 * (known while the file's `onceDays` have not passed since, as in the bot: onceState).
 * It groups as the bot does, an alert in the hour's roll-up too; a backlog's summary (a Slack
 * outage), after which the bot opens a new alert for the group, is not replayed. A replayed alert
 * takes the status changes (`changes`) of the bot's alert of its rule that took its first call,
 * each as it was when a call was stored: marked expected or true positive then, it takes no more
 * findings (acknowledged, it still takes those below high and its own burst's: takesFinding).
 */
export class MemorySink implements AlertSink {
  readonly subjects = new MemorySubjects();
  private readonly held: Held[] = [];
  /** Every alert of each group, oldest first. */
  private readonly byGroup = new Map<string, Held[]>();

  constructor(
    private readonly countFrom = Number.NEGATIVE_INFINITY,
    alerted: readonly SubjectAlerted[] = [],
    private readonly changes: StatusChanges = () => [],
  ) {
    // Alert 0: one of the bot's, not of this replay, so no replayed alert takes its findings.
    for (const a of alerted) this.subjects.record(a.orgId, a.ruleId, a.subject, 0, a.alertedAt);
  }

  private counted(): Held[] {
    return this.held.filter((h) => h.readAt >= this.countFrom);
  }

  /** As the bot's query: the newest of the group within the window, taking findings when stored. */
  findGroup(orgId: string, groupKey: string, time: number, windowMs: number, storedAt: number) {
    const group = this.byGroup.get(`${orgId}\u0000${groupKey}`) ?? [];
    for (let i = group.length - 1; i >= 0; i--) {
      const held = group[i];
      if (!held || held.lastSeen < time - windowMs || held.firstSeen > time + windowMs) continue;
      const status = statusAt(held.changes, storedAt);
      if (takesFindings(status)) return { ...held, status };
    }
    return undefined;
  }

  confirmed(alertId: number, storedAt: number): boolean {
    const held = this.held[alertId - 1];
    return held !== undefined && statusAt(held.changes, storedAt) === "true_positive";
  }

  insert(alert: NewAlert): number {
    const held: Held = {
      id: this.held.length + 1,
      orgId: alert.orgId,
      ruleId: alert.ruleId,
      tools: alert.tools,
      severity: alert.severity,
      firstSeen: alert.firstSeen,
      lastSeen: alert.lastSeen,
      readAt: alert.createdAt,
      events: 1,
      notify: alert.notify,
      postable: alert.notify ? { at: alert.createdAt, severity: alert.severity } : undefined,
      highAt: undefined,
      suppressed: alert.suppressedBy !== null,
      aboutOrganization: alert.aboutOrganization === true,
      changes: this.changes(alert.orgId, alert.ruleId, alert.firstEventSeq),
    };
    this.held.push(held);
    const key = `${alert.orgId}\u0000${alert.groupKey}`;
    const group = this.byGroup.get(key);
    if (group) group.push(held);
    else this.byGroup.set(key, [held]);
    return held.id;
  }

  grow(
    alert: { id: number },
    event: { time: number; tools: readonly string[]; severity: Severity; notify: boolean },
    now: number,
  ): void {
    const held = this.held[alert.id - 1];
    if (!held) return;
    held.events++;
    held.firstSeen = Math.min(held.firstSeen, event.time);
    held.lastSeen = Math.max(held.lastSeen, event.time);
    held.tools = event.tools;
    held.severity = event.severity;
    held.notify ||= event.notify;
    // The bot posts an alert (or rolls it up) as severe as it is when it can be posted, and posts
    // one that turns high later alone as well, if it was in the roll-up.
    if (!held.postable && held.notify) held.postable = { at: now, severity: held.severity };
    else if (held.postable && held.postable.severity !== "high" && held.severity === "high")
      held.highAt ??= now;
  }

  /**
   * The alerts that would be posted: when they could first be posted (by when the calls were
   * processed), as severe as they were then, and when they became high if that was later.
   */
  posted(): Array<Planned & { ruleId: string; aboutOrganization: boolean }> {
    return this.counted().flatMap((h) =>
      h.postable
        ? [
            {
              ...h.postable,
              ...(h.highAt === undefined ? {} : { highAt: h.highAt }),
              ruleId: h.ruleId,
              aboutOrganization: h.aboutOrganization,
            },
          ]
        : [],
    );
  }

  /** Per rule: alerts, events in them, how many would post, how many suppressed. */
  tally(ruleIds: readonly string[]): RuleTally[] {
    return ruleIds.map((ruleId) => {
      const mine = this.counted().filter((h) => h.ruleId === ruleId);
      return {
        ruleId,
        alerts: mine.length,
        events: mine.reduce((sum, h) => sum + h.events, 0),
        posted: mine.filter((h) => h.notify).length,
        suppressed: mine.filter((h) => h.suppressed).length,
      };
    });
  }
}
