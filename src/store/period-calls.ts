import type { CallFigures, Ranked, RankedAccount } from "../domain/home.js";
import { CALLED_TOOL } from "./called-tool.js";
import type { Db } from "./db.js";
import { type HeldCalls, heldByEach, heldParams, leavingHeld } from "./held-calls.js";
import { NEWEST_NAMED } from "./newest-name.js";
import { peopleCalls } from "./people-calls.js";
import { newestEmailSql } from "./people-match.js";
import { ACCOUNT, PERSON } from "./person-sql.js";

type Params = Array<string | number>;

/** The organization's MCP calls of a period, by named parameters. */
const PERIOD = "org_id = @orgId AND is_mcp = 1 AND time >= @since AND time < @until";

/** A Jira issue key gives its project; anything else, its product on its site. */
const PLACE = `CASE WHEN resource GLOB '[A-Z]*-[0-9]*' AND instr(resource, '-') > 1
    THEN substr(resource, 1, instr(resource, '-') - 1)
    ELSE coalesce(product, 'unknown product') || ' on ' || coalesce(site_host, 'unknown site') END`;

/**
 * A period's MCP calls as the App Home, the weekly check and a "not me" read them: the figures,
 * the top people, tools and places, the people active, the span of some accounts' calls. Each a
 * range of an index (time, a person's events), never a scan of the whole store.
 */
export class PeriodCalls {
  constructor(protected readonly db: Db) {}

  protected all<T>(sql: string, ...params: Params): T[] {
    return this.db.prepare<Params, T>(sql).all(...params);
  }

  protected named<T>(sql: string, params: Readonly<Record<string, string | number>>): T[] {
    return this.db.prepare<[Readonly<Record<string, string | number>>], T>(sql).all(params);
  }

  /**
   * The MCP calls of a period as a condition and its named parameters: the organization's, or
   * those of some accounts only (each as PERSON takes them: see peopleCalls); undefined when
   * those made none stored; leaving out those an earlier "not me" holds (`held`), and those stored
   * after seq `storedThrough` when given.
   */
  private calls(
    orgId: string,
    since: number,
    until: number,
    accounts?: readonly string[],
    held?: readonly HeldCalls[],
    storedThrough?: number | null,
  ): { sql: string; params: Readonly<Record<string, string | number>> } | undefined {
    const people = accounts && peopleCalls(this.db, orgId, accounts);
    if (accounts && !people) return undefined;
    const calls = people
      ? leavingHeld(people, since, until, held)
      : { sql: PERIOD, params: { orgId, since, until } };
    if (storedThrough === undefined || storedThrough === null) return calls;
    return {
      sql: `${calls.sql} AND seq <= @storedThrough`,
      params: { ...calls.params, storedThrough },
    };
  }

  /**
   * MCP calls of a period (of some accounts only, when given, leaving out the calls `held`, and
   * those stored after seq `storedThrough` when given); admin calls count as deletes.
   */
  figures(
    orgId: string,
    since: number,
    until: number,
    accounts?: readonly string[],
    held?: readonly HeldCalls[],
    storedThrough?: number | null,
  ): CallFigures {
    const calls = this.calls(orgId, since, until, accounts, held, storedThrough);
    if (!calls) return { calls: 0, people: 0, writes: 0, deletes: 0 };
    const row = this.db
      .prepare<
        [Readonly<Record<string, string | number>>],
        { calls: number; people: number; w: number | null; d: number | null }
      >(
        `SELECT count(*) AS calls, count(DISTINCT ${PERSON}) AS people, sum(tool_class = 'write') AS w,
           sum(tool_class IN ('destructive', 'admin')) AS d
         FROM events WHERE ${calls.sql}`,
      )
      .get(calls.params);
    return {
      calls: row?.calls ?? 0,
      people: row?.people ?? 0,
      writes: row?.w ?? 0,
      deletes: row?.d ?? 0,
    };
  }

  /**
   * The people with the most MCP calls in a period, as detection keys them (PERSON), each by the
   * name of their newest call in it that names them (NEWEST_NAMED).
   */
  topPeople(orgId: string, since: number, until: number, limit: number): RankedAccount[] {
    return this.all(
      `SELECT key, count, email, id FROM (SELECT coalesce(user_name, user_email, user_id) AS key,
         count(*) AS count, user_email AS email, user_id AS id, ${NEWEST_NAMED} FROM events
         WHERE org_id = ? AND is_mcp = 1 AND time >= ? AND time < ? AND ${PERSON} IS NOT NULL
         GROUP BY ${PERSON}) ORDER BY count DESC, key LIMIT ?`,
      orgId,
      since,
      until,
      limit,
    );
  }

  /**
   * The tools most used in a period (of some accounts only, when given, leaving out the calls
   * `held`), named as alerts name them: a wrapper's calls by the operation each ran (CALLED_TOOL).
   */
  topTools(
    orgId: string,
    since: number,
    until: number,
    limit: number,
    accounts?: readonly string[],
    held?: readonly HeldCalls[],
  ): Ranked[] {
    const calls = this.calls(orgId, since, until, accounts, held);
    if (!calls) return [];
    return this.named(
      `SELECT ${CALLED_TOOL} AS key, count(*) AS count FROM events
       WHERE ${calls.sql} AND tool IS NOT NULL
       GROUP BY tool, operation ORDER BY count DESC, key LIMIT @limit`,
      { ...calls.params, limit },
    );
  }

  /** Where some accounts' AI tools acted in a period: Jira projects, else products on sites. */
  places(
    orgId: string,
    since: number,
    until: number,
    accounts: readonly string[],
    limit: number,
  ): string[] {
    const calls = this.calls(orgId, since, until, accounts);
    if (!calls) return [];
    return this.named<{ place: string }>(
      `SELECT ${PLACE} AS place, count(*) AS n FROM events WHERE ${calls.sql}
       GROUP BY place ORDER BY n DESC, place LIMIT @limit`,
      { ...calls.params, limit },
    ).map((r) => r.place);
  }

  /**
   * The accounts with at least `minCalls` MCP calls in a period, each with the calls naming no
   * account id that PERSON takes as its (ACCOUNT), with what they did (admin calls count as
   * deletes), each by the name of their newest call in it (as `topPeople`) and the address it
   * has now.
   */
  activePeople(
    orgId: string,
    since: number,
    until: number,
    minCalls: number,
  ): Array<{
    accountId: string;
    name: string | null;
    email: string | null;
    calls: number;
    writes: number;
    deletes: number;
  }> {
    return this.named(
      `SELECT accountId, name, ${newestEmailSql("@orgId", "accountId", "@until")} AS email, calls,
         writes, deletes FROM (
         SELECT ${ACCOUNT} AS accountId, user_name AS name, ${NEWEST_NAMED},
           count(*) AS calls, coalesce(sum(tool_class = 'write'), 0) AS writes,
           coalesce(sum(tool_class IN ('destructive', 'admin')), 0) AS deletes
         FROM events WHERE ${PERIOD} AND accountId IS NOT NULL
         GROUP BY accountId HAVING count(*) >= @minCalls) ORDER BY accountId`,
      { orgId, since, until, minCalls },
    );
  }

  /**
   * Some accounts' MCP calls in a period, counted per account with calls (in the order given):
   * how many, how many none of `held` holds, and how many each of them holds. One read, ranges of
   * each account's calls (peopleCalls), whoever holds them told by their time and seq alone.
   */
  heldCounts(
    orgId: string,
    since: number,
    until: number,
    accounts: readonly string[],
    held: readonly HeldCalls[],
  ): Array<{ account: string; calls: number; unheld: number; heldBy: number[] }> {
    const calls = peopleCalls(this.db, orgId, accounts);
    if (!calls) return [];
    const keys = [...new Set(accounts)];
    const columns = (key: string) =>
      [`${keys.indexOf(key)} AS who`, ...heldByEach(held, key).map((c, i) => `${c} AS h${i}`)].join(
        ", ",
      );
    const each = held.map((_, i) => `, sum(h${i}) AS h${i}`).join("");
    const any = held.length === 0 ? "0" : held.map((_, i) => `h${i}`).join(" OR ");
    const rows = this.named<{ who: number; n: number; unheld: number } & Record<string, number>>(
      `SELECT who, count(*) AS n, sum(NOT (${any})) AS unheld${each}
       FROM (${calls.rows(columns)}) GROUP BY who`,
      { ...calls.params(since, until), ...heldParams(held) },
    );
    const byWho = new Map(rows.map((r) => [r.who, r]));
    return keys.flatMap((account, who) => {
      const r = byWho.get(who);
      if (!r) return [];
      const heldBy = held.map((_, i) => r[`h${i}`] ?? 0);
      return [{ account, calls: r.n, unheld: r.unheld, heldBy }];
    });
  }

  /**
   * The first and last of some accounts' MCP calls in a period, but for those `held` (what a
   * "not me" is about).
   */
  span(
    orgId: string,
    since: number,
    until: number,
    accounts: readonly string[],
    held?: readonly HeldCalls[],
  ): { firstSeq: number; lastSeq: number; first: number; last: number; n: number } | undefined {
    const calls = this.calls(orgId, since, until, accounts, held);
    if (!calls) return undefined;
    const [row] = this.named<{
      firstSeq: number | null;
      lastSeq: number;
      first: number;
      last: number;
      n: number;
    }>(
      `SELECT min(seq) AS firstSeq, max(seq) AS lastSeq, min(time) AS first, max(time) AS last,
         count(*) AS n FROM events WHERE ${calls.sql}`,
      calls.params,
    );
    return row && row.firstSeq !== null ? { ...row, firstSeq: row.firstSeq } : undefined;
  }
}
