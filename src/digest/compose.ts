import type { DigestData, DigestMessage } from "../domain/digest.js";
import type { Logger } from "../logger.js";
import type { DigestKind, DigestPositions, DigestRecord } from "../store/digests.js";
import type { Repositories } from "../store/repositories.js";
import { buildDigest } from "./build.js";
import { buildWeeklyDigest, trendStarts } from "./build-weekly.js";
import { renderActivityChart } from "./chart.js";
import { bucketWidth, comparedSince, type FirstStart, summaryOwed } from "./periods.js";
import { type DigestNotes, widthWords } from "./sections.js";

export interface ComposeDeps {
  readonly stores: Pick<
    Repositories,
    | "digestFigures"
    | "weeklyFigures"
    | "digests"
    | "events"
    | "pollStates"
    | "transaction"
    | "prunedBefore"
  >;
  readonly logger: Logger;
  readonly orgId: string;
  readonly timeZone: string;
  /** Poller figures for the health line. */
  readonly health: () => DigestData["health"];
  /** The organization's name for the title, when several are watched. */
  readonly organization?: () => string | undefined;
  /** Queues a digest just recorded for Slack, in the same transaction. */
  readonly queue?: (digest: DigestRecord, now: number) => void;
  /** Drops what waits to be sent of a digest set aside, in the same transaction. */
  readonly unqueue?: (digestId: number, now: number) => void;
}

export interface Composed {
  readonly data: DigestData;
  readonly message: DigestMessage;
  readonly chart: Buffer | null;
  /** Where the store stood when the figures were read: what the digest reports. */
  readonly positions: DigestPositions;
}

/**
 * The digests a scheduled one takes up from: what they reported is seen before, and calls
 * dated in their periods but stored after them are new to it, as are settings changes and app
 * authorizations whose alert was raised after them. A daily digest follows the daily
 * one before, or the first start's summary; an on-demand one, outside the schedule, none.
 */
const follows: Partial<Record<DigestKind, DigestKind[]>> = {
  daily: ["daily", "backfill"],
  weekly: ["weekly"],
};

/** Whether a digest of `kind` takes up from the first start's summary (the daily one). */
export const followsSummary = (kind: DigestKind): boolean =>
  follows[kind]?.includes("backfill") ?? false;

/** The first start, as the first scheduled digest of `kind` after it needs it (`scheduledPeriodStart`). */
export function firstStartOf(deps: ComposeDeps, kind: DigestKind): FirstStart {
  const state = deps.stores.pollStates.get(deps.orgId);
  const from = state?.backfillFrom ?? null;
  const until = state?.backfillUntil ?? null;
  return {
    at: until,
    readAt: deps.stores.pollStates.backfillDoneAt(deps.orgId),
    afterSummary: followsSummary(kind) && summaryOwed(from, until),
  };
}

/** A Slack permalink that works in any workspace the reader belongs to. */
const permalink = (channel: string, ts: string) =>
  `https://slack.com/archives/${channel}/p${ts.replace(".", "")}`;

/** Reads a period's figures, builds the message and renders the chart (a failed chart is logged, not fatal). */
export async function composeDigest(
  deps: ComposeDeps,
  kind: DigestKind,
  since: number,
  until: number,
  notes: DigestNotes,
): Promise<Composed> {
  const { orgId, stores } = deps;
  const before = follows[kind];
  const { storedThrough: seenThrough, linkedThrough } = before
    ? stores.digests.positionsBefore(orgId, before, since)
    : {};
  // The first start's summary: the rows the backfill stored, whatever their time; none live.
  const history = kind === "backfill";
  const options = {
    bucketMs: bucketWidth(since, until),
    previousSince: comparedSince(since, until),
    ...(seenThrough !== undefined && { seenThrough }),
    ...(linkedThrough !== undefined && { linkedThrough }),
    ...(history && { history }),
  };
  // Read with the figures, in one read transaction: one snapshot, whatever another process
  // writes meanwhile. What the next digest finds stored after it, it did not count (after the
  // summary: the live calls stored by then); the alert links it finds made after it, it did not
  // name (the summary names the live changes of its period as any digest does: not again).
  const { positions, figures } = stores.transaction(() => ({
    positions: {
      storedThrough: history
        ? (stores.digestFigures.history(orgId, until)?.through ?? 0)
        : stores.events.maxSeq(orgId),
      linkedThrough: stores.digestFigures.linkedThrough(),
    },
    figures: stores.digestFigures.read(orgId, since, until, permalink, options),
  }));
  const data: DigestData = { ...figures, health: deps.health() };
  const organization = deps.organization?.();
  // Retention deleted part of the period, or of the hours it is compared with; or they start
  // before the history fetched on first start (the summary of that history compares with none).
  const deletedBefore = stores.prunedBefore.within(orgId, options.previousSince);
  const backfillFrom = stores.pollStates.get(orgId)?.backfillFrom ?? undefined;
  const fetchedFrom =
    kind !== "backfill" && backfillFrom !== undefined && options.previousSince < backfillFrom
      ? backfillFrom
      : undefined;
  const noted = {
    ...notes,
    ...(deletedBefore !== undefined && { deletedBefore }),
    ...(fetchedFrom !== undefined && { fetchedFrom }),
  };
  const message =
    kind === "weekly"
      ? buildWeeklyDigest(
          {
            ...data,
            callsPerDay: stores.weeklyFigures.callsPerWindow(
              orgId,
              trendStarts(since, until, options.bucketMs, deps.timeZone),
              until,
            ),
            newTools: stores.weeklyFigures.newTools(orgId, since, until, seenThrough),
            newSites: stores.weeklyFigures.newSites(orgId, since, until, seenThrough),
            ruleOutcomes: stores.weeklyFigures.ruleOutcomes(orgId, since, until),
          },
          { ...noted, organization, timeZone: deps.timeZone },
        )
      : buildDigest(data, { kind, ...noted, organization });
  let chart: Buffer | null = null;
  if (data.current.calls > 0) {
    try {
      chart = await renderActivityChart(data.buckets, {
        title: `MCP calls per ${widthWords(data.bucketMs)}, by tool class (${deps.timeZone})`,
        timeZone: deps.timeZone,
      });
    } catch (error) {
      deps.logger.warn(
        { err: error },
        "the digest chart could not be rendered; the text digest is posted without it",
      );
    }
  }
  return { data, message, chart, positions };
}

/** Composes and records the digest of a period unless it exists; true when it was created. */
export async function createDigest(
  deps: ComposeDeps,
  kind: DigestKind,
  since: number,
  until: number,
  notes: DigestNotes,
  now: number,
): Promise<boolean> {
  const records = deps.stores.digests;
  if (records.exists(deps.orgId, kind, until)) return false;
  const { message, chart, positions } = await composeDigest(deps, kind, since, until, notes);
  const { late } = notes;
  const created = deps.stores.transaction(() => {
    if (!records.create(deps.orgId, kind, since, until, late, message, chart, now, positions))
      return false;
    const digest = records.byPeriod(deps.orgId, kind, until);
    if (digest) deps.queue?.(digest, now);
    return true;
  });
  if (created)
    deps.logger.info(
      { kind, since: new Date(since).toISOString(), until: new Date(until).toISOString(), late },
      `${kind} digest for ${new Date(until).toISOString()} ready to post`,
    );
  return created;
}
