/**
 * Times written the way people say them rather than the way `since:`/`until:` read them: a clock
 * time with am/pm (`9am`, `9:30 pm`). Each is answered with the form to type. Pure: `now` and the
 * zone come from the caller.
 */
import { dayOf } from "../time-zone.js";

/** How a since:/until: value was misread, and the text to give instead. */
export type TimeForm = { readonly kind: "clock"; readonly hint: string };

const pad = (n: number) => String(n).padStart(2, "0");

/** "HH:MM" (24-hour) of a 12-hour clock time, else undefined. */
function clock24(text: string): string | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?$/.exec(text.toLowerCase());
  if (!m) return undefined;
  const [h, mi] = [Number(m[1]), Number(m[2] ?? 0)];
  if (h < 1 || h > 12 || mi > 59) return undefined;
  return `${pad((h % 12) + (m[3] === "p" ? 12 : 0))}:${pad(mi)}`;
}

/**
 * How `value` (with the free word after it, `next`) is a time in another form, or undefined when it
 * is not one. A clock time's hint is today's date in the reader's zone with the hour.
 */
export function timeForm(
  value: string,
  next: string | undefined,
  now: number,
  zone: string,
): TimeForm | undefined {
  const clock = clock24(value) ?? (next === undefined ? undefined : clock24(`${value}${next}`));
  if (clock) return { kind: "clock", hint: `"${dayOf(now, zone)} ${clock}"` };
  return undefined;
}
