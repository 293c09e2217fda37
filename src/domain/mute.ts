/** Mutes: a rule and a person kept out of Slack for a while (alerts still stored and counted). */

/** A mute as it was set, by whom (a Slack user id), and when. */
export interface SetMute extends Mute {
  readonly id: number;
  readonly createdBy: string;
  readonly createdAt: number;
}

export interface Mute {
  readonly ruleId: string;
  readonly userKey: string;
  /** The one subject it covers (see Alert.subject), and its words; absent: every subject. */
  readonly subject?: string;
  readonly subjectLabel?: string;
  readonly until: number;
  readonly reason: string;
}

/**
 * A pattern muted now, as listed: its longest running mute, how many run, and the newest alert of
 * the pattern (whose Undo mute ends them), with the person's name or e-mail from it.
 */
export interface ListedMute extends SetMute {
  readonly orgId: string;
  readonly mutes: number;
  readonly person: string;
  readonly alertId: number | null;
  readonly alertCreatedAt: number | null;
}

/** The reason of the mute a Snooze sets: the alert's own reminders wait for it too (isSnooze). */
export const snoozeReason = (hours: number): string => `snoozed for ${hours} h`;
export const isSnooze = (reason: string): boolean => /^snoozed for \d+ h\b/.test(reason);

/** Earlier releases wrote who set a mute into its reason (`snoozed for 4 h by <@U1>`). */
const SETTER = / by <@[A-Z0-9]+>/;

/**
 * What an alert a mute kept quiet says about it (`suppressed_by`), and a click on a pattern muted
 * already: the reason and who set it. An earlier release's reason, naming its setter already, is
 * kept as it was, as the alerts it quieted say it.
 */
export const muteLabel = (m: Pick<SetMute, "reason" | "createdBy">): string =>
  SETTER.test(m.reason) ? m.reason : `${m.reason} by <@${m.createdBy}>`;

/** The reason alone, without the setter an earlier release wrote into it. */
export const muteReason = (reason: string): string => reason.replace(SETTER, "");
