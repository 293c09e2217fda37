import {
  type Alert,
  type CountedCalls,
  type Growth,
  type NewAlert,
  takesFinding,
} from "../domain/alert.js";
import { calledTool, type StoredEvent } from "../domain/event.js";
import { personKey, quietKey } from "../domain/person-key.js";
import { maxSeverity, severityRank } from "../domain/severity.js";
import type { HoldingAbout } from "../store/alerts.js";
import type { SubjectRegistry } from "../store/subjects.js";
import { DAY, MINUTE } from "../time-units.js";
import type { Judgement } from "./judge.js";
import { RULES } from "./rules/index.js";
import type { AlertMode, Facts } from "./types.js";

/** An event processed this long after it happened is flagged "arrived late". */
export const LATE_MS = 60 * MINUTE;

const RULE_BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

/**
 * The group a finding joins: its rule, person and its own subject if any (quiet findings apart).
 * In `once` mode the subject is the one `once` counts (onceSubject): each new one is an alert of
 * its own, and only findings of the same subject group. A rule's quiet subject (quietSubject)
 * never enters it: an admin acting on 30 accounts is one alert about the admin.
 */
function groupKeyOf(event: StoredEvent, finding: Judgement, about = finding.subject): string {
  const subject = about === undefined ? "" : `|${about}`;
  return `${finding.ruleId}|${personKey(event)}${subject}${finding.suppressedBy ? "|suppressed" : ""}`;
}

/** An open alert's detail, where its largest finding's figure is kept (see Finding.figure). */
interface GroupDetail {
  readonly detail?: Alert["detail"];
}

/** The detail an alert keeps of a finding: with its figure, when it has one. */
function detailOf(finding: Judgement): Alert["detail"] {
  return finding.figure === undefined
    ? finding.detail
    : { ...finding.detail, figure: finding.figure };
}

/**
 * A finding more severe than the alert, or larger than its largest so far: its title and detail,
 * to show instead (the alert is as severe as its worst finding, and says which).
 */
function retitle(
  finding: Judgement,
  existing: GroupDetail & Pick<Alert, "severity">,
): { title: string; detail: Alert["detail"] } | undefined {
  if (severityRank(finding.severity) > severityRank(existing.severity))
    return { title: finding.title, detail: detailOf(finding) };
  if (finding.figure === undefined) return undefined;
  // An alert raised before figures were kept says its size in its own count.
  const detail = existing.detail;
  const before = Number(detail?.figure ?? detail?.calls ?? detail?.distinctReads);
  if (Number.isFinite(before) && finding.figure <= before) return undefined;
  return { title: finding.title, detail: detailOf(finding) };
}

/** Where grouped alerts go: the store, or memory when replaying history (`rules test`). */
export interface AlertSink {
  /** The subjects already alerted about (`once` mode). */
  readonly subjects: SubjectRegistry;
  /**
   * The newest alert of the group taking findings (open or acknowledged: takesFindings) with
   * events within `windowMs` of `time`. As of now, or in a replay as of `storedAt`, when the
   * finding's call was stored (see MemorySink).
   */
  findGroup(
    orgId: string,
    groupKey: string,
    time: number,
    windowMs: number,
    storedAt: number,
  ):
    | (Pick<
        Alert,
        "id" | "tools" | "severity" | "orgId" | "firstSeen" | "lastSeen" | "status" | "notify"
      > &
        GroupDetail)
    | undefined;
  /**
   * The alert of `ruleId` taking findings (as findGroup) that holds the call `seq` and is about the
   * finding's person or, told to the organization, its subject: the one a first that overtakes it
   * grows (Finding.overtakes). A replay groups such a first as any other.
   */
  holding?(
    orgId: string,
    ruleId: string,
    seq: number,
    about: HoldingAbout,
  ): ReturnType<AlertSink["findGroup"]>;
  /** Stores a new alert, about its first event and the calls its finding counts (`counted`). */
  insert(alert: NewAlert, counted?: CountedCalls): number;
  grow(alert: Pick<Alert, "id" | "orgId">, event: Growth, now: number): void;
  /** Whether a responder marked the alert true positive (now, or in a replay at `storedAt`). */
  confirmed?(alertId: number, storedAt: number): boolean;
}

/** How long an alert takes more findings: the group's window, else the grouping window. */
export function windowMs(mode: AlertMode, groupingWindowMinutes: number): number {
  return mode.kind === "group" ? mode.windowHours * 60 * MINUTE : groupingWindowMinutes * MINUTE;
}

/**
 * What the finding is about beyond its person, when its rule says: its rule's quiet subject, else
 * its own subject, else its rule's. An alert keeps its first finding's (Alert.subject): a mute or
 * suppression set from the alert covers it alone. It does not group: findings of another subject
 * grow the alert while it takes them (see groupKeyOf).
 */
export function quietSubject(
  event: StoredEvent,
  facts: Facts,
  finding: Pick<Judgement, "ruleId" | "subject">,
): string | undefined {
  const rule = RULE_BY_ID.get(finding.ruleId);
  return rule?.quietSubject?.(event, facts) ?? finding.subject ?? rule?.subject?.(event, facts);
}

/** What `once` counts this finding as (see Rule.subject): its own subject, its rule's, else its person. */
export function onceSubject(event: StoredEvent, facts: Facts, finding: Judgement): string {
  const rule = RULE_BY_ID.get(finding.ruleId);
  return finding.subject ?? rule?.subject?.(event, facts) ?? personKey(event);
}

/** What a `once` finding groups by (see Rule.groupSubject): its rule's group subject, else `subject`. */
export function onceGroup(
  event: StoredEvent,
  facts: Facts,
  finding: Judgement,
  subject: string,
): string {
  return RULE_BY_ID.get(finding.ruleId)?.groupSubject?.(event, facts) ?? subject;
}

/**
 * `once`: whether this finding's subject was alerted about already (then it is quiet, unless it
 * grows that very alert, found by its group: onceGroup). A subject stays known
 * while the mode's days, as the rules file says now, have not passed since its latest alert (for
 * good without days); once they have, its finding is told in an alert of its own (`renews`: the
 * old alert, still taking findings of a token used every few minutes, does not take it). A first
 * live finding alerts even when the history had it, saying how often. An alert marked true
 * positive no longer takes findings: what its subject does next (the confirmed stolen token used
 * again) alerts anew.
 */
export function onceState(
  event: StoredEvent,
  finding: Judgement,
  subject: string,
  mode: Extract<AlertMode, { kind: "once" }>,
  o: { readonly sink: AlertSink; readonly windowMs: number; readonly group: string },
): { renews?: number; quiet?: string } {
  const rule = RULE_BY_ID.get(finding.ruleId);
  const alerted = o.sink.subjects.alerted(event.orgId, finding.ruleId, subject);
  if (alerted && mode.days !== null && event.time >= alerted.alertedAt + mode.days * DAY)
    return { renews: alerted.alertId };
  if (!alerted || o.sink.confirmed?.(alerted.alertId, event.ingestedAt)) return {};
  const key = groupKeyOf(event, finding, o.group);
  const open = o.sink.findGroup(event.orgId, key, event.time, o.windowMs, event.ingestedAt);
  if (open?.id === alerted.alertId) return {};
  return {
    quiet: `already alerted about this ${rule?.subjectName ?? "person"} (alert ${alerted.alertId}): in the digest only`,
  };
}

/**
 * Adds the finding to its group's alert taking findings, or opens one; which alert, whether it
 * grew, and `tells` when the finding brings that alert to the channel (raises it to be posted, or
 * grows one kept out of it, opened below minSeverity): the time of the call that brought it
 * there, from which `once` counts its subject.
 */
export function groupFinding(
  event: StoredEvent,
  finding: Judgement,
  o: {
    readonly sink: AlertSink;
    readonly mode: AlertMode;
    readonly windowMs: number;
    readonly now: number;
    /** In `once` mode, the subject the finding groups by (onceGroup): its alert is that subject's. */
    readonly subject?: string;
    /** What it is about beyond its person (quietSubject): kept by the alert it opens. */
    readonly about?: string;
    /** An alert the finding does not grow: its subject's, whose `onceDays` have passed (onceState). */
    readonly renews?: number;
  },
): { id: number; grown: boolean; tells?: number } {
  const { sink, mode, windowMs, now } = o;
  const counted: CountedCalls | undefined =
    finding.counted && event.userId !== null
      ? { account: event.userId, ...finding.counted }
      : undefined;
  const groupKey = groupKeyOf(event, finding, o.subject ?? finding.subject);
  // Processed by Atlassian, or read by the bot, more than an hour after it happened (an outage
  // of either): the alert says it is old news caught up.
  const late = Math.max(event.processedAt ?? event.time, event.ingestedAt) - event.time > LATE_MS;
  // Within the window of the alert's events, not merely before its last: an event that arrives
  // days late opens its own alert rather than growing one about other calls.
  // A first made before the call alerted as first (it reached the audit log late) grows that
  // call's alert, however far before: the alert's first call moves back. An alert telling the
  // organization of the finding's AI tool or tool, whoever made the call; a person's own alert,
  // which asks them about their call, only when it is theirs.
  const about = { userKey: quietKey(event), subject: o.about };
  const open =
    (finding.overtakes === undefined
      ? undefined
      : sink.holding?.(event.orgId, finding.ruleId, finding.overtakes, about)) ??
    sink.findGroup(event.orgId, groupKey, event.time, windowMs, event.ingestedAt);
  // A group's window starts at its first finding: a day of destructive calls, then a new alert.
  // An acknowledged alert takes no high finding but its own burst's: another opens a new alert,
  // the group's newest, which the next findings grow (the same one look-up).
  const existing =
    open &&
    open.id !== o.renews &&
    (mode.kind !== "group" || event.time - open.firstSeen < windowMs) &&
    takesFinding(open, finding)
      ? open
      : undefined;
  // Its tools named as its title names them: a wrapper with the operation it ran.
  const tool = calledTool(event);
  if (existing) {
    const tools =
      tool && !existing.tools.includes(tool) ? [...existing.tools, tool] : existing.tools;
    const severity = maxSeverity(finding.severity, existing.severity);
    const larger = retitle(finding, existing);
    sink.grow(
      existing,
      {
        seq: event.seq,
        title: finding.title,
        time: event.time,
        late,
        tools,
        severity,
        notify: finding.notify,
        ...(larger ? { retitle: larger } : {}),
        ...(counted ? { counted } : {}),
      },
      now,
    );
    // Told from the call that brought it to the channel: it may have grown out of it for days.
    const tells = finding.notify && !existing.notify;
    return { id: existing.id, grown: true, ...(tells ? { tells: event.time } : {}) };
  }
  const id = sink.insert(
    {
      orgId: event.orgId,
      ruleId: finding.ruleId,
      severity: finding.severity,
      groupKey,
      title: finding.title,
      detail: detailOf(finding),
      userId: event.userId,
      userName: event.userName,
      userEmail: event.userEmail,
      authKind: event.authKind,
      firstEventSeq: event.seq,
      lastEventSeq: event.seq,
      firstSeen: event.time,
      lastSeen: event.time,
      eventCount: 1,
      tools: tool ? [tool] : [],
      late,
      suppressedBy: finding.suppressedBy,
      notify: finding.notify,
      ...(o.about === undefined ? {} : { subject: o.about }),
      ...(finding.aboutOrganization ? { aboutOrganization: true } : {}),
      createdAt: now,
    },
    counted,
  );
  return { id, grown: false, ...(finding.notify ? { tells: event.time } : {}) };
}
