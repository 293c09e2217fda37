import type { Statement } from "better-sqlite3";
import type { StoredEvent } from "../domain/event.js";
import { AHEAD_MS, historyTime, KEPT_MS } from "../domain/plausible-time.js";
import type { Db } from "./db.js";
import { lazyStatements } from "./lazy-statements.js";
import { refOf as ref } from "./strings.js";

/** A person's MCP calls, on the (org, user) index of MCP rows. */
export const USER_MCP = `org = ${ref("@orgId")} AND is_mcp = 1 AND user_id = ${ref("@userId")}`;

/**
 * Whether a call is the first of its person, their site and product, its tool or its AI tool:
 * made before the others, among those judged before it (FactStore's history questions).
 */
export class FirstCalls {
  private readonly anyBefore;
  private readonly siteBefore;
  private readonly productBefore;
  private readonly toolBefore;
  private readonly anyToolBefore;
  private readonly appBefore;
  /** By organization, a seq known to have an MCP call with a tool before it: so do all later ones. */
  private readonly historyFrom = new Map<string, number>();

  constructor(db: Db) {
    const mcp = USER_MCP;
    // Judged before the event: not itself, nor a call waiting to be judged again (an action newly
    // listed as MCP made it one) unless at or before `@judgedFrom`, where the queue is judged
    // oldest first. Otherwise a person whose calls were all listed late had no first call.
    // Prepared at first use: they read judge_again (0041), and an upgrade's tests open older files.
    const lazy = lazyStatements(db);
    const prepared = (sql: string) => () => lazy(sql);
    const judged = `seq <> @self AND (seq <= @judgedFrom OR NOT EXISTS
      (SELECT 1 FROM judge_again j WHERE j.org_id = @orgId AND j.seq = event_rows.seq))`;
    // Before it is before it in time, not in storage: Atlassian processes some calls late, and the
    // first call is the one made first. A call wrongly dated (historyTime) is before those stored
    // after it, as stored; `@time` of one is past every time (madeAt).
    const made = `(time <= @time OR coalesce(processed_delta, ingested_at - time) NOT BETWEEN ${-AHEAD_MS} AND ${KEPT_MS})`;
    this.anyBefore = prepared(
      `SELECT seq, backfilled FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND seq < @seq AND ${judged} AND ${made} LIMIT 1`,
    );
    this.siteBefore = prepared(
      `SELECT seq, backfilled FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND site_host = ${ref("@site")} AND seq < @seq AND ${judged} AND ${made} LIMIT 1`,
    );
    this.productBefore = prepared(
      `SELECT seq, backfilled FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND product = ${ref("@product")} AND seq < @seq AND ${judged} AND ${made} LIMIT 1`,
    );
    // Both on the (org, tool, time) index of MCP rows: a seek, never a scan.
    const org = `org = ${ref("@orgId")} AND is_mcp = 1`;
    this.toolBefore = prepared(
      `SELECT seq, backfilled FROM event_rows INDEXED BY event_rows_mcp_tool WHERE ${org} AND tool = ${ref("@tool")} AND seq < @seq AND ${judged} AND ${made} LIMIT 1`,
    );
    // Any person's: an AI tool is new to the organization, not to each person who connects it.
    this.appBefore = prepared(
      `SELECT seq, backfilled FROM event_rows INDEXED BY event_rows_mcp_client WHERE ${org} AND client_app = ${ref("@app")} AND seq < @seq AND ${judged} AND ${made} LIMIT 1`,
    );
    this.anyToolBefore = db.prepare(
      `SELECT 1 FROM event_rows WHERE ${org} AND tool IS NOT NULL AND seq < @seq LIMIT 1`,
    );
  }

  /**
   * Whether the person, their site, product and AI tool had MCP calls made before this one (see
   * `made`) and stored before it, or, for an event judged again (`judgedUpTo`: the rules had judged
   * every event up to it when its action was listed as MCP), any other already judged. Where none
   * was made before it but some were stored before it (it reached the audit log late), `overtakes`
   * names one of those, the first the index holds.
   */
  seenBefore(event: StoredEvent, judgedUpTo?: number): SeenBefore {
    const judged = { orgId: event.orgId, ...judgedAs(event, judgedUpTo) };
    const time = madeAt(event, judgedUpTo);
    const overtakes: { [K in SeenKind]?: number } = {};
    const seen = (kind: SeenKind, statement: Statement, params: object): boolean => {
      const look = lookBack(statement, { ...judged, ...params }, time);
      if (look.overtakes !== undefined) overtakes[kind] = look.overtakes;
      return look.seen;
    };
    const app = event.clientApp === null || seen("app", this.appBefore(), { app: event.clientApp });
    // An event that names no account is no person's: nothing in it is new to a person.
    if (event.userId === null) return { user: true, site: true, product: true, app, overtakes };
    const user = { userId: event.userId };
    return {
      user: seen("user", this.anyBefore(), user),
      app,
      site:
        event.siteHost === null ||
        seen("site", this.siteBefore(), { ...user, site: event.siteHost }),
      product:
        event.product === null ||
        seen("product", this.productBefore(), { ...user, product: event.product }),
      overtakes,
    };
  }

  /**
   * Whether the tool was called before (see seenBefore for `judgedUpTo` and `overtakes`), and any
   * tool at all.
   */
  toolSeen(
    event: StoredEvent,
    judgedUpTo?: number,
  ): { before: boolean; history: boolean; overtakes?: number } {
    const known = this.historyFrom.get(event.orgId);
    let history = known !== undefined && known <= event.seq;
    if (!history) {
      history = this.anyToolBefore.get({ orgId: event.orgId, seq: event.seq }) !== undefined;
      if (history && (known === undefined || event.seq < known))
        this.historyFrom.set(event.orgId, event.seq);
    }
    const params = { orgId: event.orgId, tool: event.tool, ...judgedAs(event, judgedUpTo) };
    const { seen, overtakes } = lookBack(this.toolBefore(), params, madeAt(event, judgedUpTo));
    return { before: seen, history, ...(overtakes === undefined ? {} : { overtakes }) };
  }
}

/** The kinds of first seenBefore answers. */
type SeenKind = "user" | "site" | "product" | "app";

/** What seenBefore answers: whether each was seen, and the calls a late first overtakes. */
export type SeenBefore = { readonly [K in SeenKind]: boolean } & {
  readonly overtakes: { readonly [K in SeenKind]?: number };
};

/**
 * When the event counts as made for `made`: past every time when it is wrongly dated (historyTime)
 * or judged again (`judgedUpTo`): judged after later calls because its action was listed as MCP
 * later, not because it reached the audit log late, it counts every call already judged as seen
 * before it and overtakes none.
 */
function madeAt(event: StoredEvent, judgedUpTo: number | undefined): number {
  if (judgedUpTo !== undefined) return Number.MAX_SAFE_INTEGER;
  return historyTime(event, event.ingestedAt) === event.time ? event.time : Number.MAX_SAFE_INTEGER;
}

/**
 * A look-up of FirstCalls' (a call of this kind judged before, `made` before `time`): whether one
 * was; if not, one of those judged before but made after it, by seq, when any (a backfilled one:
 * seen).
 */
function lookBack(
  statement: Statement,
  params: Record<string, unknown>,
  time: number,
): { seen: boolean; overtakes?: number } {
  if (statement.get({ ...params, time }) !== undefined) return { seen: true };
  if (time === Number.MAX_SAFE_INTEGER) return { seen: false };
  const stored = statement.get({ ...params, time: Number.MAX_SAFE_INTEGER }) as
    | { seq: number; backfilled: number }
    | undefined;
  if (stored === undefined) return { seen: false };
  // The history fetched on first start is what is new is new against, whenever its calls were made.
  return stored.backfilled === 1 ? { seen: true } : { seen: false, overtakes: stored.seq };
}

/**
 * The calls judged before `event` (see FirstCalls' `judged`): those stored before it, or, for an
 * event judged again, every call up to `judgedUpTo` but those still queued after it.
 */
function judgedAs(event: StoredEvent, judgedUpTo: number | undefined) {
  return judgedUpTo === undefined
    ? { seq: event.seq, self: event.seq, judgedFrom: 0 }
    : { seq: judgedUpTo + 1, self: event.seq, judgedFrom: event.seq };
}
