import { quietKey } from "../domain/person-key.js";
import { nearest, nearestAddress } from "../nearest.js";
import type { Db } from "./db.js";
import { fold, isAscii } from "./fold.js";
import { refOf as ref } from "./strings.js";

/**
 * The account ids a name is exactly (case-insensitive), each looked up through its own index of
 * the people MCP events were made for, else among the people alerts name: a name with an @ is an
 * e-mail address and matches e-mails alone (so a display name made to look like someone's address
 * is not them), any other an account id or a display name. `by: "email"` matches whole e-mail
 * addresses alone (someone asking about themselves), and only among the people.
 */
function exactIds(db: Db, orgId: string, name: string, by: "any" | "email"): string[] {
  const email = by === "email" || name.includes("@");
  // NOCASE folds A–Z only: a name with other letters is compared folded (see fold.ts). Not
  // someone's own e-mail: folding makes a Kelvin sign a "k", and that match says who they are.
  const ascii = isAscii(name) || by === "email";
  const conditions: Array<[string, string]> = [
    ...(email ? [] : [["user_id = ?", name] as [string, string]]),
    ...(email ? ["user_email"] : ["user_name"]).map((c): [string, string] =>
      ascii ? [`${c} = ? COLLATE NOCASE`, name] : [`fold(${c}) = ?`, fold(name)],
    ),
  ];
  const idsIn = (table: "people" | "alerts") =>
    conditions.flatMap(([condition, value]) =>
      db
        .prepare<string[], { user_id: string }>(
          `SELECT DISTINCT user_id FROM ${table} WHERE org_id = ? AND user_id IS NOT NULL AND ${condition}`,
        )
        .all(orgId, value)
        .map((row) => row.user_id),
    );
  const ids = idsIn("people");
  // Someone no MCP call of is stored (an admin's alert, or forgotten by a release that pruned
  // people an alert named) is still the one the alerts about them name, not someone else.
  return [...new Set(ids.length > 0 || by === "email" ? ids : idsIn("alerts"))];
}

/**
 * The person an e-mail address is when no account's calls carry it and calls naming it and no
 * account id are stored (an API token's): as PERSON counts them, keyed as quietKey keys them
 * (`email:` and the address). None otherwise: an address an account's calls carry is that
 * account's (`exactIds`). A seek on people_email and one on the index of the calls naming no
 * account.
 */
export function emailPerson(db: Db, orgId: string, email: string): string[] {
  const address = email.toLowerCase();
  const stored = db
    .prepare<[{ orgId: string; address: string }], number>(
      `SELECT NOT EXISTS (SELECT 1 FROM people WHERE org_id = @orgId AND user_email = @address COLLATE NOCASE)
         AND EXISTS (SELECT 1 FROM event_rows INDEXED BY event_rows_mcp_unaccounted
           WHERE org = ${ref("@orgId")} AND is_mcp = 1 AND user_id IS NULL AND user_email = ${ref("@address")})`,
    )
    .pluck()
    .get({ orgId, address });
  const key = quietKey({ userId: null, userEmail: address });
  return stored === 1 && key !== undefined ? [key] : [];
}

/**
 * The people named by id, e-mail or display name (see `exactIds`), keyed as quietKey keys them:
 * their account ids, or for an e-mail no account's calls carry, the person its calls naming no
 * account id are (`emailPerson`). A name none of those is exactly is then tried as a first name or
 * the name of an e-mail (`alice`: Alice Example, alice@example.com), and taken when it means one
 * person only (see `lookalikes`). `by: "email"`: account ids alone.
 */
export function personIds(
  db: Db,
  orgId: string,
  names: readonly string[],
  by: "any" | "email" = "any",
): string[] {
  const ids = new Set<string>();
  for (const name of names) {
    let found = exactIds(db, orgId, name, by);
    if (found.length === 0 && by === "any" && name.includes("@")) {
      found = emailPerson(db, orgId, name);
    } else if (found.length === 0 && by === "any") {
      const loose = looseMatches(db, orgId, name);
      found = loose.length === 1 ? loose.map((p) => p.userId) : [];
    }
    for (const id of found) ids.add(id);
  }
  return [...ids];
}

/**
 * The people a name may mean when it may mean several: two people of the same display name, or
 * a name that is no one's exactly and is the first name or e-mail name of several ("alice":
 * alice@a.example and Alice Berg). To ask which, rather than add them up. None otherwise.
 */
export function lookalikes(
  db: Db,
  orgId: string,
  name: string,
): Array<{ id: string; name: string | null; email: string | null }> {
  const exact = exactIds(db, orgId, name, "any");
  if (exact.length === 1) return [];
  const people = exact.length > 1 ? described(db, orgId, exact) : looseMatches(db, orgId, name);
  return people.map(({ userId, name, email }) => ({ id: userId, name, email }));
}

/**
 * The stored person nearest a name that is no one's (a mistyped e-mail or name): their e-mail
 * (see `nearestAddress`), or their display name for a name without an @.
 */
export function nearestPerson(db: Db, orgId: string, name: string): string | undefined {
  const email = name.includes("@");
  const column = email ? "user_email" : "user_name";
  const known = db
    .prepare<[string], { v: string }>(
      `SELECT DISTINCT ${column} AS v FROM people WHERE org_id = ? AND ${column} IS NOT NULL`,
    )
    .all(orgId)
    .map((row) => row.v);
  return email ? nearestAddress(name, known) : nearest(name, known);
}

/**
 * SQL selecting `columns` of an account's newest MCP call with an e-mail (or with a name, `named`),
 * before a time when given; `s` is the e-mail's (the name's) text.
 */
function newestCallSql(
  org: string,
  user: string,
  before: string | null,
  columns: string,
  named: "user_email" | "user_name" = "user_email",
): string {
  return `SELECT ${columns} FROM event_rows r JOIN strings s ON s.ref = r.${named}
    WHERE r.org = (SELECT ref FROM strings WHERE value = ${org})
      AND r.user_id = (SELECT ref FROM strings WHERE value = ${user})
      AND r.is_mcp = 1${before === null ? "" : ` AND r.time < ${before}`}
    ORDER BY r.time DESC LIMIT 1`;
}

/**
 * SQL for the e-mail of an account's newest MCP call before a time: the address it has now. The
 * people table keeps every address of the account's stored calls, and an address given up may be
 * someone else's now. The arguments are SQL expressions (the organization id, the account id, the time).
 */
export function newestEmailSql(org: string, user: string, before: string): string {
  return `(${newestCallSql(org, user, before, "s.value")})`;
}

/**
 * A query of the address an account has now (see `newestEmailSql`) and when its call with it was
 * made; its parameters: the organization id, the account id, the time before which.
 */
export const NEWEST_EMAIL = newestCallSql("?", "?", "?", "s.value AS email, r.time AS time");

/**
 * The accounts that have this e-mail address now (their newest MCP call was made with it), among
 * those that ever had it: someone is shown, and may deny, only what was done as them.
 */
export function holdersOf(db: Db, orgId: string, email: string, now: number): string[] {
  const newest = db.prepare<[string, string, number], { email: string | null }>(
    `SELECT ${newestEmailSql("?", "?", "?")} AS email`,
  );
  return personIds(db, orgId, [email], "email").filter(
    (id) => newest.get(orgId, id, now + 1)?.email?.toLowerCase() === email.toLowerCase(),
  );
}

/**
 * Who someone asking about themselves by their address is: the accounts that have it now
 * (`holdersOf`), and the person of the calls naming it and no account id when no account's calls
 * carry it (`emailPerson`).
 */
export function ownPeople(db: Db, orgId: string, email: string, now: number): string[] {
  return [...holdersOf(db, orgId, email, now), ...emailPerson(db, orgId, email)];
}

type Described = { userId: string; name: string | null; email: string | null };

/**
 * Accounts by the name and e-mail they have now (those of their newest MCP call that has one: the
 * people table keeps the former ones while calls made with them are stored), ordered by e-mail.
 * One none of whose MCP calls is stored (an alert names them) is described by what is kept.
 */
function described(db: Db, orgId: string, ids: readonly string[]): Described[] {
  const now = (column: "user_email" | "user_name") =>
    `coalesce((${newestCallSql("p.org_id", "p.user_id", null, "s.value", column)}), max(p.${column}))`;
  return db
    .prepare<string[], Described>(
      `SELECT p.user_id AS userId, ${now("user_name")} AS name, ${now("user_email")} AS email
       FROM people p WHERE p.org_id = ? AND p.user_id IN (${ids.map(() => "?").join(", ")})
       GROUP BY p.user_id ORDER BY email`,
    )
    .all(orgId, ...ids);
}

/** People whose first name, or the name of whose e-mail, is `name`, described as they are now. */
function looseMatches(db: Db, orgId: string, name: string): Described[] {
  if (/[@\s]/.test(name)) return [];
  // LIKE folds A–Z only: a name with other letters is compared with the folded names.
  const [email, person] = isAscii(name)
    ? ["user_email", "user_name"]
    : ["fold(user_email)", "fold(user_name)"];
  const like = fold(name).replace(/[\\%_]/g, (c) => `\\${c}`);
  const ids = db
    .prepare<[string, string, string], string>(
      `SELECT DISTINCT user_id FROM people
       WHERE org_id = ? AND (${email} LIKE ? ESCAPE '\\' OR ${person} LIKE ? ESCAPE '\\')`,
    )
    .pluck()
    .all(orgId, `${like}@%`, `${like} %`);
  return ids.length === 0 ? [] : described(db, orgId, ids);
}
