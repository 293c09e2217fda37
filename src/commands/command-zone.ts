import { isTimeZone, wallTime } from "../time-zone.js";

/** The zone a command line reads dates in, and where it came from, for the lines that say so. */
export interface CommandZone {
  readonly zone: string;
  readonly source: string;
}

/**
 * The zone of the shell's TZ (a leading `:` dropped, named as given: ICU may call Asia/Kolkata
 * Asia/Calcutta), else the system's, else UTC: a POSIX TZ (`JST-9`) or an unknown system zone is
 * no zone the dates can be read in, and says so.
 */
export function commandZone(tz: string | undefined, system: string | undefined): CommandZone {
  const given = tz?.replace(/^:/, "");
  if (given && isTimeZone(given)) return { zone: given, source: "the shell's time zone, TZ" };
  if (given) return { zone: "UTC", source: `TZ=${given} names no time zone: UTC` };
  if (system && isTimeZone(system)) return { zone: system, source: "the system's time zone" };
  return { zone: "UTC", source: "no time zone set: UTC" };
}

/**
 * A moment a date was read as, in that zone and, unless that is UTC, in UTC: "2026-11-04 00:00
 * Asia/Kolkata (the shell's time zone, TZ), 2026-11-03 18:30 UTC".
 */
export function zonedMoment(time: number, { zone, source }: CommandZone): string {
  const utc = zone === "UTC" ? "" : `, ${wallTime(time, "UTC")} UTC`;
  return `${wallTime(time, zone)} ${zone} (${source})${utc}`;
}
