import type { DigestMessage, FirstSeen, RuleOutcome, WeeklyData } from "../domain/digest.js";
import { sparkline } from "../query/sparkline.js";
import { mrkdwn, slackDate } from "../slack/escape.js";
import { DAY } from "../time-units.js";
import { addDays, dayOf, fromWall, wallClock } from "../time-zone.js";
import { counted } from "../words.js";
import {
  arrivedLateLine,
  type Block,
  bullets,
  classSplit,
  comparable,
  context,
  type DigestNotes,
  deletedLine,
  delta,
  firstTimerItems,
  healthLine,
  quietLine,
  section,
  shortReadLine,
  shortReadNote,
  splitParts,
  stillOpenNote,
  stillOpenSection,
  topFields,
  unfetchedLine,
  widthWords,
} from "./sections.js";

export interface WeeklyOptions extends DigestNotes {
  /** The organization's name, when several are watched. */
  readonly organization?: string;
  /** Where the days' names are read (DIGEST_TIMEZONE). */
  readonly timeZone: string;
}

/**
 * Where each day of the period starts: at the period's local time of day, day after day in
 * `timeZone` (24 hours apart, or 23 or 25 across a clock change). A remnant under half a day
 * (the week's end moved by a skipped hour) belongs to the day before.
 */
function dayStarts(since: number, until: number, timeZone: string): number[] {
  const first = dayOf(since, timeZone);
  const w = wallClock(since, timeZone);
  const timeOfDay = ((w.hour * 60 + w.minute) * 60 + w.second) * 1000;
  const starts = [since];
  for (let i = 1; ; i++) {
    const [y = 1970, m = 1, d = 1] = addDays(first, i).split("-").map(Number);
    const start = fromWall(Date.UTC(y, m - 1, d) + timeOfDay, timeZone);
    if (start >= until - DAY / 2) return starts;
    starts.push(start);
  }
}

/**
 * Where each part of the trend starts: each day of the period in `timeZone` (23 or 25 hours long
 * across a clock change), or each chart bucket when those are wider than a day. The calls of each
 * are counted over exactly these windows (WeeklyData.callsPerDay), not from the chart's buckets,
 * whose 6 hours do not meet a 23- or 25-hour day.
 */
export function trendStarts(
  since: number,
  until: number,
  bucketMs: number,
  timeZone: string,
): number[] {
  return bucketMs > DAY
    ? Array.from(
        { length: Math.max(1, Math.round((until - since) / bucketMs)) },
        (_, i) => since + i * bucketMs,
      )
    : dayStarts(since, until, timeZone);
}

/** Calls per day (or per bucket, when buckets are wider than a day), named by their first day. */
export function trendOf(d: WeeklyData, timeZone: string): Array<{ label: string; calls: number }> {
  const starts = trendStarts(d.since, d.until, d.bucketMs, timeZone);
  const day = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    ...(starts.length > 7 ? { day: "numeric", month: "short" } : {}),
  });
  return starts.map((start, i) => ({ label: day.format(start), calls: d.callsPerDay[i] ?? 0 }));
}

const firstSeenItem = (f: FirstSeen) =>
  `${mrkdwn(f.key, 100)} (${f.calls} ${f.calls === 1 ? "call" : "calls"}, ${f.people} ${f.people === 1 ? "person" : "people"})`;

/** One rule's line: what responders decided about the alerts it raised. */
export function outcomeLine(o: RuleOutcome): string {
  const parts = [
    `${o.truePositive} true positive`,
    `${o.expected} expected`,
    `${o.acknowledged} acknowledged`,
    `${o.open} open`,
    ...(o.unposted > 0 ? [`${o.unposted} digest only`] : []),
  ];
  const decided = o.truePositive + o.expected;
  const rate =
    decided === 0
      ? ""
      : ` — ${Math.round((o.truePositive / decided) * 100)}% true of those decided`;
  return `${mrkdwn(o.ruleId, 80)}: ${o.raised} raised · ${parts.join(" · ")}${rate}`;
}

/**
 * The weekly digest, pure: the week's trend (figures against the week before, calls per day),
 * top people and tools, what is new (people, tools and sites never seen before in the store),
 * each rule's outcomes from the alert buttons (true positives against expected: which rule is
 * noisy), and every posted alert still open. A quiet week says so in one line, and what is open.
 */
export function buildWeeklyDigest(d: WeeklyData, options: WeeklyOptions): DigestMessage {
  const base = "Weekly MCP activity digest";
  const title =
    options.organization === undefined ? base : `${base} · ${mrkdwn(options.organization, 200)}`;
  const note = options.late ? " _(posted late: the bot was down at the scheduled time)_" : "";
  const heading = `*${title}*${note}\n${slackDate(d.since)} – ${slackDate(d.until)}${shortReadLine(options, d.until)}${deletedLine(options, d.since)}${unfetchedLine(options, d.since)}${arrivedLateLine(d, "weekly")}`;
  const health = healthLine(d);
  const short = shortReadNote(options);
  const open = stillOpenSection(d);
  const people = firstTimerItems(d);
  const changes = [
    people.length > 0 ? `*People*\n${bullets(people, d.firstTimerCount - people.length, 900)}` : "",
    d.newTools.length > 0 ? `*Tools*\n${bullets(d.newTools.map(firstSeenItem), 0, 700)}` : "",
    d.newSites.length > 0 ? `*Sites*\n${bullets(d.newSites.map(firstSeenItem), 0, 700)}` : "",
  ].filter((s) => s !== "");
  const changed = section(
    `*:new: What changed* — first seen this week, never before in the store\n${changes.length > 0 ? changes.join("\n") : "No new people, tools or sites."}`,
  );
  if (d.current.calls === 0 && d.ruleOutcomes.length === 0) {
    // A quiet week still names what was first seen in calls that arrived late.
    return {
      text: `${title}: no MCP activity ${options.readTo === undefined ? "this week" : "stored for this week"}.${stillOpenNote(d)}${short}`,
      blocks: [
        section(`${heading}\n${quietLine(options)}`),
        ...(changes.length > 0 ? [changed] : []),
        ...(open ? [open] : []),
        context(health),
      ],
      replies: [],
    };
  }
  const c = d.current;
  const p = d.previous;
  // Not against a week retention deleted part of, or partly before the history fetched.
  const compared = comparable(options);
  const change = (now: number, before: number) => (compared ? delta(now, before) : "");
  const trend = trendOf(d, options.timeZone);
  const summary = [
    `*${c.calls}* MCP ${c.calls === 1 ? "call" : "calls"}${change(c.calls, p.calls)} · *${c.people}* ${c.people === 1 ? "person" : "people"}${change(c.people, p.people)} · *${c.tools}* ${c.tools === 1 ? "tool" : "tools"}${change(c.tools, p.tools)} · *${c.sites}* ${c.sites === 1 ? "site" : "sites"}${change(c.sites, p.sites)}${compared ? " — against the week before" : ""}`,
    classSplit(d.byClass),
    `\`${sparkline(trend.map((t) => t.calls))}\` ${trend.map((t) => `${t.label} ${t.calls}`).join(" · ")} (calls per ${widthWords(Math.max(DAY, d.bucketMs))})`,
  ].join("\n");
  const parts: Block[][] = [[section(`${heading}\n${summary}`)], [topFields(d)], [changed]];
  if (d.ruleOutcomes.length > 0)
    parts.push([
      section(
        `*Alerts by rule: what responders decided* (alerts raised this week, by their status now)\n${bullets(d.ruleOutcomes.map(outcomeLine))}`,
      ),
      context(
        "A rule with many _expected_ and few _true positive_ is noisy: raise its threshold or add a suppression in the rules file.",
      ),
    ]);
  if (open) parts.push([open]);
  parts.push([context(health)]);
  const { blocks, replies } = splitParts(parts);
  return {
    text: `${title}: ${counted(c.calls, "MCP call")} by ${counted(c.people, "person", "people")}${change(c.calls, p.calls)}${short}`,
    blocks,
    replies,
  };
}
