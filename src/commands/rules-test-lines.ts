import type { Noise } from "../detect/budget.js";
import { BASELINE_DAYS } from "../detect/rules/mcp-volume-spike.js";
import { counted } from "../words.js";

/** A progress line on stderr every this many events replayed (a few seconds of a replay). */
export const REPLAY_PROGRESS_EVERY = 20_000;

const minute = (time: number) => `${new Date(time).toISOString().slice(0, 16)}Z`;

/**
 * Tells of a long replay on stderr: after each REPLAY_PROGRESS_EVERY events, how many, and how
 * far into the days asked (`since` to `now`) the calls replayed reach. A short one says nothing.
 */
export function replayProgress(
  orgId: string,
  days: { readonly since: number; readonly now: number },
  stderr: NodeJS.WritableStream,
): (replayed: number, lastTime: number | undefined) => void {
  let told = 0;
  let reached = days.since;
  return (replayed, lastTime) => {
    reached = Math.max(reached, lastTime ?? reached);
    if (Math.floor(replayed / REPLAY_PROGRESS_EVERY) <= Math.floor(told / REPLAY_PROGRESS_EVERY))
      return;
    told = replayed;
    const share = Math.min(
      100,
      Math.floor(((reached - days.since) / (days.now - days.since)) * 100),
    );
    stderr.write(
      `rules test: ${orgId}: ${replayed} events replayed, up to ${minute(reached)} (${share}% of the days asked)\n`,
    );
  };
}

/**
 * Said when some calls' mcp-volume-spike baseline reached back past the events retention deleted
 * before `deletedBefore`: judged on part of it, until `until`.
 */
export function partialBaseline(p: {
  readonly until: number;
  readonly deletedBefore: number;
}): string {
  return `mcp-volume-spike: baseline partial for the calls made before ${minute(p.until)}: their ${BASELINE_DAYS} days before reach back to the events retention deleted before ${minute(p.deletedBefore)} (RETENTION_DAYS), so it may alert otherwise than the bot did then`;
}

/**
 * The time the channel's messages are counted over: days to one decimal, whole ones without it
 * ("7", "6.5"); less than a day, its hours or minutes, counted as one day (the mean's divisor).
 */
export function timeCounted(days: number): string {
  if (days >= 1) {
    const tenths = Math.round(days * 10) / 10;
    return `${Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1)} day(s)`;
  }
  const minutes = Math.floor(days * 24 * 60);
  const span =
    minutes >= 60
      ? `${Math.floor(minutes / 60)} hour(s)`
      : minutes >= 1
        ? `${minutes} minute(s)`
        : "less than a minute";
  return `${span}, counted as 1 day`;
}

/** The messages `noise` counts, over its time, and what the hourly budget held back of them. */
export function messagesLine(noise: Noise, maxPerHour: number): string {
  const alone =
    noise.postedAlone === 0
      ? ""
      : `, ${counted(noise.postedAlone, "of them posted alone as well once it became high", "of them posted alone as well once they became high")}`;
  const held =
    noise.rolledUp === 0
      ? "no hour went over it"
      : `${noise.rolledUp} alert(s) went into ${noise.rollups} hourly roll-up message(s) instead${alone}`;
  return `${messagesIn(noise)}; budget of ${maxPerHour} alerts an hour: ${held}`;
}

/** How many messages `noise` counts, over what time. */
export const messagesIn = (noise: Noise): string =>
  `${noise.messages} message(s) in ${timeCounted(noise.days)}`;
