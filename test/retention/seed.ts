import { join } from "node:path";
import { AlertStore } from "../../src/store/alerts.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { PollStateStore } from "../../src/store/poll-state.js";
import { QuarantineStore } from "../../src/store/quarantine.js";
import { anAlert, mcpEvent } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

export { DAY } from "../../src/time-units.js";

import type { StoredEvent } from "../../src/domain/event.js";
import type { Db } from "../../src/store/db.js";
import { DAY } from "../../src/time-units.js";

export const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

/** A database of one organization whose events so far the rules have all evaluated. */
export function retentionDb(orgId = "org-1"): {
  db: Db;
  /**
   * Stores `count` events that happened `daysAgo` days before NOW (Alice's calls, unless `fields`
   * say otherwise); returns their seqs.
   */
  addEvents(
    count: number,
    daysAgo: number,
    evaluated?: boolean,
    fields?: Partial<StoredEvent>,
  ): number[];
  quarantine(count: number, daysAgo: number): void;
  /** An alert over these events, the first one shown in its message. */
  alertOn(seqs: readonly number[]): number;
  count(table: string): number;
} {
  const db = openStore(join(tempDir(), "retention.db"));
  const events = new EventStore(db);
  const alerts = new AlertStore(db);
  let n = 0;
  new PollStateStore(db).save(
    {
      orgId,
      cursor: null,
      lastProcessedAt: null,
      backfillFrom: null,
      backfillUntil: null,
      backfillDone: true,
    },
    NOW,
  );
  return {
    db,
    addEvents(count, daysAgo, evaluated = true, fields = {}) {
      const before = events.maxSeq(orgId);
      const time = NOW - daysAgo * DAY;
      db.transaction(() => {
        events.insertMany(
          Array.from({ length: count }, () => {
            n++;
            return mcpEvent({ ...fields, orgId, id: `ev-${n}`, time, processedAt: time });
          }),
          time,
        );
        if (evaluated) alerts.setLastEvaluated(orgId, events.maxSeq(orgId), NOW);
      })();
      const after = events.maxSeq(orgId);
      return Array.from({ length: after - before }, (_, i) => before + i + 1);
    },
    quarantine(count, daysAgo) {
      new QuarantineStore(db).add(
        orgId,
        Array.from({ length: count }, () => ({
          eventId: null,
          error: "no id",
          raw: `{"n":${++n}}`,
        })),
        NOW - daysAgo * DAY,
      );
    },
    alertOn(seqs) {
      const [first = 0, ...rest] = seqs;
      const id = alerts.insert({
        ...anAlert({ orgId, firstEventSeq: first, lastEventSeq: first }),
      });
      for (const seq of rest)
        alerts.grow(
          { id, orgId },
          {
            seq,
            time: NOW,
            late: false,
            tools: ["deleteJiraIssue"],
            severity: "high",
            notify: true,
          },
          NOW,
        );
      return id;
    },
    count(table) {
      return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    },
  };
}
