/** Mutes: a rule and a person kept out of Slack for a while (alerts still stored and counted). */

/** A mute as it was set, and when. */
export interface SetMute extends Mute {
  readonly id: number;
  readonly createdAt: number;
}

export interface Mute {
  readonly ruleId: string;
  readonly userKey: string;
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
