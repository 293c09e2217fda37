/**
 * A button's value naming a stored row: its id and a stamp of that row (when it was made), so a
 * message posted before a restore from a backup never acts on another row given the same id.
 */
export function rowRef(id: number, stamp: number): string {
  return `${id}.${stamp}`;
}

/**
 * The value of End or Remove in the settings' lists: the alert's (rowRef) and the id of the mute
 * or suppression listed, which it ends alone.
 */
export function listedRef(alertRef: string, row: number): string {
  return `${alertRef}:${row}`;
}

/** A listed row's value (listedRef): the alert's part and the row's id, when it has one. */
export function readListedRef(value: string | undefined): { alert: string; row?: number } {
  const [alert = "", row] = (value ?? "").split(":");
  return /^\d{1,12}$/.test(row ?? "") ? { alert, row: Number(row) } : { alert };
}

export interface RowRef {
  readonly id: number;
  /** Absent in the bare ids of messages posted by earlier releases. */
  readonly stamp: number | undefined;
}

/** A button's value as a row's id (at most 12 digits) and stamp, or undefined (a forged value). */
export function readRowRef(value: string | undefined): RowRef | undefined {
  const match = /^(\d{1,12})(?:\.(\d{1,15}))?$/.exec(value ?? "");
  if (!match) return undefined;
  return { id: Number(match[1]), stamp: match[2] === undefined ? undefined : Number(match[2]) };
}

/** A message in Slack: its conversation and its ts. */
export interface MessageAt {
  readonly channel: string;
  readonly ts: string;
}

/** The direct message stored with a row (a question, a weekly check), once it was posted. */
export function directMessageOf(
  row: { readonly dmChannel: string | null; readonly dmTs: string | null } | undefined,
): MessageAt | undefined {
  return row?.dmChannel && row.dmTs ? { channel: row.dmChannel, ts: row.dmTs } : undefined;
}

/**
 * Whether the row found by a value's id is the one the value names: its stamp is the row's. A bare
 * id (drawn by an earlier release) names it only when clicked in the row's own stored message
 * (`message`, looked up for a bare id alone): a row given that id after a restore has a message of
 * its own, and no other place (the App Home, an ephemeral reply) tells which row such a button was
 * drawn for.
 */
export function isNamed(
  ref: RowRef,
  row: { readonly stamp: number; readonly message: () => MessageAt | undefined },
  clickedIn: MessageAt | undefined,
): boolean {
  if (ref.stamp !== undefined) return ref.stamp === row.stamp;
  const own = row.message();
  return own !== undefined && own.channel === clickedIn?.channel && own.ts === clickedIn.ts;
}

/**
 * A question or weekly check whose sending was given up, no message of it stored (Slack may have
 * posted it all the same): the person it asked, and when its row was made.
 */
export interface GivenUp {
  readonly asked: string;
  readonly createdAt: number;
}

/**
 * How much earlier than its row a given-up row's message may seem posted: the row's time is this
 * host's clock, the message's ts Slack's, and the two may disagree. A message lost in a restore was
 * posted before the restore, so long before any row made after it.
 */
const CLOCK_SKEW_MS = 60_000;

/** When Slack posted a message (epoch ms): its ts is epoch seconds, with microseconds. */
function postedAt(message: MessageAt): number {
  return Number(message.ts) * 1000;
}

/**
 * Whether a bare id names a given-up row, which has no stored message to be clicked in: only when
 * clicked in a direct message by the person it asked, only for a row made before the database was
 * first run by a release that stamps its buttons (`stampedSince`), and only in a message posted
 * after the row was made. A row given that id after a restore is made since the message of the
 * row that had it, even when an earlier release made both (a restore made before the upgrade).
 */
export function isGivenUpNamed(
  ref: RowRef,
  row: GivenUp | undefined,
  stampedSince: number,
  click: { readonly user: string; readonly message: MessageAt | undefined },
): boolean {
  const { message } = click;
  return (
    ref.stamp === undefined &&
    row !== undefined &&
    row.createdAt < stampedSince &&
    row.asked === click.user &&
    // Slack's direct messages are in conversations whose id starts with D.
    message?.channel.startsWith("D") === true &&
    postedAt(message) >= row.createdAt - CLOCK_SKEW_MS
  );
}
