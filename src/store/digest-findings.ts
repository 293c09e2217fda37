import type { NamedFinding } from "../domain/digest.js";
import type { Db } from "./db.js";

/** How many findings of one rule a digest names; the count is of all of them. */
const NAMED = 20;

/** The newest alert link made (migrations/0060): where a digest composed now stands. */
export const newestLink = (db: Db): number =>
  db.prepare<[], number>("SELECT made FROM alert_link_clock").pluck().get() ?? 0;

/**
 * The events of one rule's alerts a digest of [since, until) names, by their finding's title (an
 * alert's own, for a link kept before titles were): an admin's three changes in one sitting are
 * one alert and three lines, and a sitting across the period's end is named in both periods, each
 * change in its own. Those that happened in the period, linked by now; and, when the digest before
 * is known, those dated before the period whose alert was raised after it was composed: linked
 * after its place (`linkedThrough`), whether Atlassian recorded them late or the rules judged them
 * late; no digest named them. After a digest that kept no such place (made before links had
 * places), those stored after it (`seenThrough`: the newest seq stored when it was made), as late
 * calls are counted (newCalls), and those linked since links have places, whenever stored.
 * The period's alerts are read by their rule and last event (alerts_rule_seen), each one's links
 * by its key (alert_id, event_seq); the late links by their place (alert_events_made) or by the
 * seq of their event (alert_events_seq), from where that digest stood; each event's time by its
 * seq. The first ones by alert and event, and how many in all.
 */
export function digestFindings(
  db: Db,
  orgId: string,
  rule: string,
  since: number,
  until: number,
  seenThrough: number | undefined,
  linkedThrough: number | undefined,
): { findings: NamedFinding[]; count: number } {
  const period = `SELECT a.id AS alert, ae.event_seq AS seq, coalesce(ae.title, a.title) AS title, e.time AS time, 0 AS late
    FROM alerts a CROSS JOIN alert_events ae ON ae.alert_id = a.id CROSS JOIN event_rows e ON e.seq = ae.event_seq
    WHERE a.org_id = ? AND a.rule_id = ? AND a.last_seen >= ? AND e.time >= ? AND e.time < ?`;
  const late = (
    after: string,
    from: string,
  ) => `SELECT a.id, ae.event_seq, coalesce(ae.title, a.title), e.time, 1
    FROM alert_events ae INDEXED BY ${from} CROSS JOIN alerts a ON a.id = ae.alert_id
    CROSS JOIN event_rows e ON e.seq = ae.event_seq
    WHERE ${after} AND ae.org_id = ? AND a.rule_id = ? AND e.time < ?`;
  // After a digest made before links had places, every link with one was made after it too.
  const [parts, places] =
    linkedThrough !== undefined
      ? [[late("ae.made > ?", "alert_events_made")], [linkedThrough]]
      : seenThrough !== undefined
        ? [
            [
              late("ae.event_seq > ?", "alert_events_seq"),
              late("ae.made IS NOT NULL AND ae.event_seq <= ?", "alert_events_made"),
            ],
            [seenThrough, seenThrough],
          ]
        : [[], []];
  const rows = db
    .prepare<Array<string | number>, { title: string; time: number; late: number; n: number }>(
      `SELECT title, time, late, count(*) OVER () AS n FROM (${[period, ...parts].join(" UNION ALL ")})
       ORDER BY alert, seq LIMIT ${NAMED}`,
    )
    .all(
      orgId,
      rule,
      since,
      since,
      until,
      ...places.flatMap((place) => [place, orgId, rule, since]),
    );
  return {
    findings: rows.map((r) =>
      r.late ? { title: r.title, arrivedLate: r.time } : { title: r.title },
    ),
    count: rows[0]?.n ?? 0,
  };
}
