import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import type { RulesFile } from "../detect/rules-file.js";
import { workingDueAt } from "../detect/working-time.js";
import type { Logger } from "../logger.js";
import { EventStore } from "../store/events.js";
import { FollowUpStore, type PostedAlert } from "../store/followups.js";
import type { Db } from "../store/open.js";
import { askMessage } from "./blocks/ask.js";
import { classifySlackError } from "./client.js";
import type { SlackDirectory } from "./directory.js";
import { mrkdwn, slackDate } from "./escape.js";
import type { Responders } from "./responders.js";

const TICK_MS = 15_000;
const MAX_REMINDERS = 2;

export interface FollowUpOptions {
  readonly db: Db;
  readonly client: WebClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly orgId: string;
  readonly rules: Pick<RulesFile, "ask" | "escalation" | "workingHours">;
  readonly directory: SlackDirectory;
  readonly responders: Responders;
  /** The organization's name, for the question, when several are watched. */
  readonly organization?: () => string | undefined;
}

/**
 * After an alert is posted: asks the person behind it "did you do this?" by direct message (for
 * the rules configured to ask), and reminds the responders, in the alert's thread, of alerts still
 * open and unanswered after the escalation delay, twice at most.
 */
export class FollowUps {
  private readonly store: FollowUpStore;
  private readonly events: EventStore;
  private readonly log: Logger;

  constructor(private readonly o: FollowUpOptions) {
    this.store = new FollowUpStore(o.db);
    this.events = new EventStore(o.db);
    this.log = o.logger.child({ component: "followups" });
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.pass();
      await this.o.clock.sleep(TICK_MS, signal);
    }
  }

  /** One pass: new posted alerts, then reminders that are due. Never throws. */
  async pass(): Promise<void> {
    try {
      for (const posted of this.store.unseen(this.o.orgId)) await this.begin(posted);
      for (const posted of this.store.dueReminders(this.o.orgId, this.o.clock.now()))
        await this.remind(posted);
    } catch (error) {
      const { code } = classifySlackError(error);
      this.log.warn({ err: error, code }, `follow-ups paused (${code}); they resume next pass`);
    }
  }

  /** When the reminder after `from` falls due; null when reminders are off. */
  reminderAfter(from: number): number | null {
    const { afterMinutes, workingHoursOnly } = this.o.rules.escalation;
    if (afterMinutes === 0) return null;
    const delay = afterMinutes * 60_000;
    return workingHoursOnly ? workingDueAt(from, delay, this.o.rules.workingHours) : from + delay;
  }

  private async begin(posted: PostedAlert): Promise<void> {
    const { alert } = posted;
    const { orgId } = this.o;
    const now = this.o.clock.now();
    const reminder = this.reminderAfter(posted.deliveredAt);
    if (!this.o.rules.ask.rules.includes(alert.ruleId)) {
      this.store.start(orgId, alert.id, { state: "none" }, reminder, now);
      return;
    }
    const reason = await this.whyNotAsk(posted);
    if (typeof reason === "string") {
      if (this.store.start(orgId, alert.id, { state: "not-asked", reason }, reminder, now))
        await this.inThread(posted, `Not asked: ${reason}`);
      return;
    }
    const user = reason.user;
    if (!this.store.start(orgId, alert.id, { state: "sending", user }, reminder, now)) return;
    try {
      const dm = await this.o.client.conversations.open({ users: user });
      const channel = dm.channel?.id;
      if (!channel) throw new Error("conversations.open gave no channel");
      const sent = await this.o.client.chat.postMessage({
        channel,
        ...askMessage(alert, this.events.bySeq(alert.firstEventSeq), this.o.organization?.()),
      });
      this.store.sent(orgId, alert.id, channel, String(sent.ts));
    } catch (error) {
      const { code } = classifySlackError(error);
      this.store.notAsked(orgId, alert.id, `the direct message failed (${code})`);
      this.log.warn({ alertId: alert.id, code }, `could not ask about alert ${alert.id} (${code})`);
      await this.inThread(posted, `Not asked: the direct message failed (${code}).`);
      return;
    }
    this.log.info({ alertId: alert.id, user }, `asked the person behind alert ${alert.id}`);
    await this.inThread(posted, `Asked <@${user}> by direct message whether this was them.`);
  }

  /** Why the person cannot be asked, or their Slack user. */
  private async whyNotAsk({ alert }: PostedAlert): Promise<string | { user: string }> {
    if (alert.authKind === "api-token")
      return "API-token calls do not say who the end user is, so there is nobody to ask.";
    if (!alert.userEmail) return "the audit log gives no e-mail address for this person.";
    const user = await this.o.directory.userIdOf(alert.userEmail);
    return user
      ? { user }
      : `${mrkdwn(alert.userEmail, 200)} was not found in this Slack workspace.`;
  }

  private async remind(posted: PostedAlert): Promise<void> {
    const { alert } = posted;
    const { orgId } = this.o;
    const followUp = this.store.get(orgId, alert.id);
    if (!followUp) return;
    if (alert.status !== "open" || followUp.answer === "yes") {
      this.store.stopReminders(orgId, alert.id);
      return;
    }
    const number = followUp.reminders + 1;
    const next = number < MAX_REMINDERS ? this.reminderAfter(this.o.clock.now()) : null;
    if (!this.store.claimReminder(orgId, alert.id, followUp.reminders, next)) return;
    const waiting =
      followUp.askState === "sent" && followUp.askedUser
        ? ` <@${followUp.askedUser}> has not answered the direct message either.`
        : "";
    this.log.info(
      { alertId: alert.id, reminder: number },
      `reminder ${number} for alert ${alert.id}`,
    );
    await this.inThread(
      posted,
      `⏰ ${this.o.responders.mention()} this alert is still open: nobody has acknowledged it since ${slackDate(posted.deliveredAt)}.${waiting}${number === MAX_REMINDERS ? " This is the last reminder." : ""}`,
    );
  }

  private async inThread(posted: PostedAlert, text: string): Promise<void> {
    await this.o.client.chat.postMessage({
      channel: posted.channel,
      thread_ts: posted.ts,
      text,
      blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
    });
  }
}
