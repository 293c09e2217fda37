import { ActivityStore } from "./activity.js";
import { AlertStore } from "./alerts.js";
import { AttestationStore } from "./attestations.js";
import { ChannelBacklog } from "./channel-backlog.js";
import { ChannelMove } from "./channel-move.js";
import { ClassifiedWithStore } from "./classified-with.js";
import { ClassifyAgainStore } from "./classify-again.js";
import type { Db } from "./db.js";
import { DeliveryStore } from "./deliveries.js";
import { DigestFigureStore } from "./digest-figures.js";
import { DigestRecordStore } from "./digests.js";
import { emptyLog } from "./empty-log.js";
import { EventActionStore } from "./event-actions.js";
import { EventStore } from "./events.js";
import { ExportStore } from "./export.js";
import { FactStore } from "./facts.js";
import { FollowUpStore } from "./followups.js";
import { FormerNames } from "./former-names.js";
import { GuidanceFigureStore } from "./guidance-figures.js";
import { HomeStore } from "./home.js";
import { HomeRefreshStore } from "./home-refresh.js";
import { JudgeAgainStore } from "./judge-again.js";
import { LatenessStore } from "./lateness.js";
import { MuteStore } from "./mutes.js";
import { NoticeStore } from "./notices.js";
import { databaseAnswers } from "./open.js";
import { OrganizationNameStore } from "./organization-names.js";
import { OutboxStore } from "./outbox.js";
import { PollStateStore } from "./poll-state.js";
import { PrunedBeforeStore } from "./pruned-before.js";
import { QuarantineStore } from "./quarantine.js";
import { QuarantineRecoveryStore } from "./quarantine-recovery.js";
import { ReclassifyUnfinishedStore } from "./reclassify-unfinished.js";
import { RetentionStore } from "./retention.js";
import { SlackPauseStore } from "./slack-pauses.js";
import { SubjectStore } from "./subjects.js";
import { SuppressionStore } from "./suppressions.js";
import { ToolsSeenStore } from "./tools-seen.js";
import { TrailStore } from "./trail.js";
import { UnfilledCallsStore } from "./unfilled-calls.js";
import { UnpostedAlerts } from "./unposted-alerts.js";
import { UnusedStrings } from "./unused-strings.js";
import { WeeklyFigureStore } from "./weekly-figures.js";

/** The stores of one database, built once by the composition root and passed to who needs them. */
export function repositories(db: Db) {
  return {
    retention: new RetentionStore(db),
    unpostedAlerts: new UnpostedAlerts(db),
    prunedBefore: new PrunedBeforeStore(db),
    unusedStrings: new UnusedStrings(db),
    formerNames: new FormerNames(db),
    quarantine: new QuarantineStore(db),
    quarantineRecovery: new QuarantineRecoveryStore(db),
    pollStates: new PollStateStore(db),
    digestFigures: new DigestFigureStore(db),
    weeklyFigures: new WeeklyFigureStore(db),
    activity: new ActivityStore(db),
    guidanceFigures: new GuidanceFigureStore(db),
    alerts: new AlertStore(db),
    attestations: new AttestationStore(db),
    classifiedWith: new ClassifiedWithStore(db),
    classifyAgain: new ClassifyAgainStore(db),
    unfilledCalls: new UnfilledCallsStore(db),
    reclassifyUnfinished: new ReclassifyUnfinishedStore(db),
    deliveries: new DeliveryStore(db),
    digests: new DigestRecordStore(db),
    events: new EventStore(db),
    eventActions: new EventActionStore(db),
    export: new ExportStore(db),
    facts: new FactStore(db),
    followUps: new FollowUpStore(db),
    home: new HomeStore(db),
    homeRefresh: new HomeRefreshStore(db),
    judgeAgain: new JudgeAgainStore(db),
    lateness: new LatenessStore(db),
    mutes: new MuteStore(db),
    notices: new NoticeStore(db),
    orgNames: new OrganizationNameStore(db),
    outbox: new OutboxStore(db),
    channelBacklog: new ChannelBacklog(db),
    channelMove: new ChannelMove(db),
    pauses: new SlackPauseStore(db),
    subjects: new SubjectStore(db),
    suppressions: new SuppressionStore(db),
    trail: new TrailStore(db),
    toolsSeen: new ToolsSeenStore(db),
    /** Empties the write-ahead log into the file, if nothing is in the way (see emptyLog). */
    emptyLog: (): boolean => emptyLog(db),
    /** Whether the database answers a query (for health). */
    answers: (): boolean => databaseAnswers(db),
    /** Runs `work` in one transaction (nested calls join it): all of it is written, or none. */
    transaction: <T>(work: () => T): T => db.transaction(work)(),
    /** The same, taking the write lock first: no other writer between a look-up and its write. */
    writeTransaction: <T>(work: () => T): T => db.transaction(work).immediate(),
  };
}

export type Repositories = ReturnType<typeof repositories>;
