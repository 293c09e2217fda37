import type { Db } from "./db.js";

/**
 * An account's MCP calls read at a time when looking for the names and e-mails it has had: under a
 * millisecond a read on the store of a million events (p99 9 ms on a busy machine).
 */
const CALLS_A_READ = 200;

/** A place in an account's calls, in time order: after this call. */
export interface CallPosition {
  readonly time: number;
  readonly seq: number;
}

/** Before an account's first call. */
export const FIRST_CALL: CallPosition = { time: Number.MIN_SAFE_INTEGER, seq: 0 };

/** A name and e-mail of an account in the people table ('' for none), as one key. */
const key = (email: string, name: string): string => JSON.stringify([email, name]);

/**
 * The e-mails and names of the people table that no stored MCP call and no alert has any more: an
 * account's former ones, once the retention deleted every call made with them. Only accounts with
 * several rows are looked at: people gets the row of every call, so an account's only row is that
 * of each of its calls, and goes with the last (RetentionStore.prunePeople). An account's calls
 * are read 200 at a time through its index (`event_rows_mcp_user`), so that a long history is
 * read between turns of the event loop rather than in one statement.
 */
export class FormerNames {
  private readonly rows;
  private readonly newest;
  private readonly calls;
  private readonly lastSeq;
  private readonly forgetRow;

  constructor(db: Db) {
    const shown = `EXISTS (SELECT 1 FROM alerts a WHERE a.org_id = @orgId AND a.user_id = @userId
      AND coalesce(a.user_email, '') = @email AND coalesce(a.user_name, '') = @name)`;
    const account = `r.org = (SELECT ref FROM strings WHERE value = @orgId)
      AND r.user_id = (SELECT ref FROM strings WHERE value = @userId) AND r.is_mcp = 1`;
    const texts = `coalesce((SELECT value FROM strings WHERE ref = r.user_email), '') AS email,
      coalesce((SELECT value FROM strings WHERE ref = r.user_name), '') AS name`;
    this.rows = db.prepare<{ orgId: string }, { userId: string; email: string; name: string }>(
      `SELECT user_id AS userId, user_email AS email, user_name AS name FROM people p
       WHERE org_id = @orgId AND user_id IN (
         SELECT user_id FROM people WHERE org_id = @orgId GROUP BY user_id HAVING count(*) > 1)
         AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.org_id = @orgId AND a.user_id = p.user_id
           AND coalesce(a.user_email, '') = p.user_email AND coalesce(a.user_name, '') = p.user_name)`,
    );
    this.newest = db.prepare<{ orgId: string; userId: string }, { email: string; name: string }>(
      `SELECT ${texts} FROM event_rows r WHERE ${account} ORDER BY r.time DESC, r.seq DESC LIMIT 1`,
    );
    this.calls = db.prepare<
      { orgId: string; userId: string; time: number; seq: number },
      { time: number; seq: number; email: string; name: string }
    >(
      `SELECT r.time AS time, r.seq AS seq, ${texts} FROM event_rows r
       WHERE ${account} AND (r.time, r.seq) > (@time, @seq)
       ORDER BY r.time, r.seq LIMIT ${CALLS_A_READ}`,
    );
    this.lastSeq = db.prepare<[], number>("SELECT coalesce(max(seq), 0) FROM event_rows").pluck();
    // Calls stored since the account's were read (`@after`): by seq, not through its index.
    this.forgetRow = db.prepare<{
      orgId: string;
      userId: string;
      email: string;
      name: string;
      after: number;
    }>(
      `DELETE FROM people WHERE org_id = @orgId AND user_id = @userId AND user_email = @email
         AND user_name = @name AND NOT ${shown} AND NOT EXISTS (
           SELECT 1 FROM event_rows r WHERE r.seq > @after
             AND +r.org = (SELECT ref FROM strings WHERE value = @orgId)
             AND +r.user_id = (SELECT ref FROM strings WHERE value = @userId) AND r.is_mcp = 1
             AND coalesce((SELECT value FROM strings WHERE ref = r.user_email), '') = @email
             AND coalesce((SELECT value FROM strings WHERE ref = r.user_name), '') = @name)`,
    );
  }

  /**
   * The rows of `orgId` to look for in its calls, by account: those of accounts with several,
   * but the name and e-mail of each one's newest call (which it has now) and those an alert shows.
   */
  accounts(orgId: string): Map<string, Set<string>> {
    const accounts = new Map<string, Set<string>>();
    for (const row of this.rows.all({ orgId })) {
      const rows = accounts.get(row.userId) ?? new Set<string>();
      accounts.set(row.userId, rows.add(key(row.email, row.name)));
    }
    for (const [userId, rows] of accounts) {
      const now = this.newest.get({ orgId, userId });
      if (now) rows.delete(key(now.email, now.name));
    }
    return accounts;
  }

  /** Where the calls stored from now on start: see `forget`. */
  newestSeq(): number {
    return this.lastSeq.get() ?? 0;
  }

  /**
   * Reads up to 200 of the account's MCP calls after `from`, taking the rows they have out of
   * `unseen`; the position to go on from, or null at the end.
   */
  read(
    orgId: string,
    userId: string,
    from: CallPosition,
    unseen: Set<string>,
  ): CallPosition | null {
    const calls = this.calls.all({ orgId, userId, ...from });
    for (const call of calls) unseen.delete(key(call.email, call.name));
    const last = calls.at(-1);
    return calls.length < CALLS_A_READ || !last ? null : { time: last.time, seq: last.seq };
  }

  /**
   * Forgets the account's rows `unseen` in its calls, but those a call stored after `after` (seq:
   * while they were read) or an alert has. How many went.
   */
  forget(orgId: string, userId: string, unseen: ReadonlySet<string>, after: number): number {
    let forgotten = 0;
    for (const row of unseen) {
      const [email, name] = JSON.parse(row) as [string, string];
      forgotten += this.forgetRow.run({ orgId, userId, email, name, after }).changes;
    }
    return forgotten;
  }
}
