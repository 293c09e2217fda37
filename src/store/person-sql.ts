/**
 * The account whose MCP calls carry an e-mail, when exactly one account of the organization's ever
 * did; NULL when none or several did (`people` keeps every e-mail an account's calls carried, with
 * no time: an e-mail that changed hands is carried by each holder, and which one a call naming only
 * it was by cannot be told). An SQL expression of the organization id and the e-mail (both text);
 * the e-mails are stored lowercased as the events' are; a seek on people_email.
 */
const accountWith = (org: string, email: string) =>
  `(SELECT CASE count(DISTINCT known.user_id) WHEN 1 THEN min(known.user_id) END FROM people known
    WHERE known.org_id = ${org} AND known.user_email = ${email} COLLATE NOCASE)`;

/**
 * The account a row of `table` (the `events` view, or `alerts`) is by: its own account id, else
 * that of the account whose calls carry its e-mail when only one account's ever did (an API-token
 * call may name an e-mail only); NULL when neither.
 */
const accountOf = (table: string) =>
  `coalesce(${table}.user_id, ${accountWith(`${table}.org_id`, `${table}.user_email`)})`;

/**
 * Who a row of `table` (the `events` view, or `alerts`) is by, as detection keys people (personKey
 * in domain/person-key): the account id, else the e-mail (stored lowercased), else the name; NULL
 * when it names none of them. An API-token call may name an e-mail only: it is the person of the
 * account whose calls carry that e-mail when only one account's ever did (accountOf, as
 * suppressions and mutes by e-mail match that account's calls), else a person of its own,
 * `email:` and the address (as quietKey keys them), counted, ranked and found new like any other.
 */
export const personOf = (table: string) =>
  `coalesce(${accountOf(table)}, 'email:' || ${table}.user_email, 'name:' || ${table}.user_name)`;

/** The account a call is by (accountOf), over the `events` view, not aliased. */
export const ACCOUNT = accountOf("events");

/** Who a call is by (personOf), over the `events` view, not aliased. */
export const PERSON = personOf("events");

/**
 * The ref of the account a row of `event_rows` (or of a select of its columns org, user_id and
 * user_email) named `row` is by: its own, else that of the account whose calls carry its e-mail
 * (the same account PERSON takes); NULL when neither.
 */
export const accountRef = (row: string) =>
  `coalesce(${row}.user_id, (SELECT ref FROM strings WHERE value = ${accountWith(
    `(SELECT value FROM strings WHERE ref = ${row}.org)`,
    `(SELECT value FROM strings WHERE ref = ${row}.user_email)`,
  )}))`;

/**
 * PERSON over `event_rows` (or a select of its columns org, user_id, user_email and user_name)
 * named `row`, by the strings' refs (one per value): the values are looked up only for a call
 * naming an e-mail and no account id.
 */
export const personRef = (row: string) =>
  `coalesce('a' || ${accountRef(row)}, 'e' || ${row}.user_email, 'n' || ${row}.user_name)`;

/** One person as `event_rows` holds them: the refs of their account id, else e-mail, else name. */
export interface PersonRefs {
  readonly id: number | null;
  readonly email: number | null;
  readonly name: number | null;
}

/**
 * One person's MCP calls dated before `@before` (`@org` the organization's ref, `person` the
 * parameter of the person's ref: the returned number), each selecting `columns` and meeting
 * `also`, as a FROM clause. An account's: its own calls (a seek on event_rows_mcp_user) and the
 * calls naming no account id that carry one of its e-mails, when it is the account PERSON takes
 * for that e-mail; a person naming no account: the calls of their e-mail, else of their name.
 * Those naming no account are read on the index of those calls, named: without statistics SQLite
 * would rather walk the seq index.
 */
export function personCalls(
  p: PersonRefs,
  columns: string,
  also = "",
  person = "@person",
): [from: string, person: number] {
  const mcp = "org = @org AND is_mcp = 1 AND time < @before";
  const unaccounted = `SELECT ${columns} FROM event_rows INDEXED BY event_rows_mcp_unaccounted
    WHERE ${mcp} AND user_id IS NULL`;
  if (p.id !== null) {
    const org = "(SELECT value FROM strings WHERE ref = @org)";
    const emails = `SELECT e.ref FROM people mine JOIN strings e ON e.value = mine.user_email
      WHERE mine.org_id = ${org} AND mine.user_id = (SELECT value FROM strings WHERE ref = ${person})
        AND mine.user_email <> '' AND mine.user_id = ${accountWith(org, "mine.user_email")}`;
    return [
      `(SELECT ${columns} FROM event_rows WHERE ${mcp} AND user_id = ${person} ${also}
        UNION ALL ${unaccounted} AND user_email IN (${emails}) ${also})`,
      p.id,
    ];
  }
  if (p.email !== null) return [`(${unaccounted} AND user_email = ${person} ${also})`, p.email];
  return [`(${unaccounted} AND user_email IS NULL AND user_name = ${person} ${also})`, p.name ?? 0];
}
