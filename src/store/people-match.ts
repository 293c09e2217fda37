import type { Db } from "./db.js";
import { fold, isAscii } from "./fold.js";

/**
 * The account ids of the people named by id, e-mail or display name (case-insensitive), each
 * looked up through its own index of the people MCP events were made for; a name none of those
 * is exactly is then tried as a first name or the name of an e-mail (`alice`: Alice Example,
 * alice@example.com), and taken when it means one person only (see `lookalikes`). `by: "email"`
 * matches whole e-mail addresses alone (someone asking about themselves).
 */
export function personIds(
  db: Db,
  orgId: string,
  names: readonly string[],
  by: "any" | "email" = "any",
): string[] {
  const ids = new Set<string>();
  const lookup = (condition: string) =>
    db.prepare<string[], { user_id: string }>(
      `SELECT DISTINCT user_id FROM people WHERE org_id = ? AND ${condition}`,
    );
  const columns = by === "email" ? ["user_email"] : ["user_name", "user_email"];
  for (const name of names) {
    // NOCASE folds A–Z only: a name with other letters is compared folded (see fold.ts). Not
    // someone's own e-mail: folding makes a Kelvin sign a "k", and that match says who they are.
    const ascii = isAscii(name) || by === "email";
    const exact: Array<[string, string]> = [
      ...(by === "email" ? [] : [["user_id = ?", name] as [string, string]]),
      ...columns.map((c): [string, string] =>
        ascii ? [`${c} = ? COLLATE NOCASE`, name] : [`fold(${c}) = ?`, fold(name)],
      ),
    ];
    let found = exact.flatMap(([condition, value]) =>
      lookup(condition)
        .all(orgId, value)
        .map((row) => row.user_id),
    );
    if (found.length === 0 && by === "any") {
      const loose = looseMatches(db, orgId, name);
      found = loose.length === 1 ? loose.map((p) => p.userId) : [];
    }
    for (const id of found) ids.add(id);
  }
  return [...ids];
}

/**
 * The people a name that is no one's exactly may mean, when it may mean several ("alice":
 * alice@a.example and Alice Berg): to ask which, rather than add them up. None otherwise.
 */
export function lookalikes(
  db: Db,
  orgId: string,
  name: string,
): Array<{ id: string; name: string | null; email: string | null }> {
  if (personIds(db, orgId, [name]).length > 0) return [];
  return looseMatches(db, orgId, name).map(({ userId, name, email }) => ({
    id: userId,
    name,
    email,
  }));
}

/** People whose first name, or the name of whose e-mail, is `name`. */
function looseMatches(
  db: Db,
  orgId: string,
  name: string,
): Array<{ userId: string; name: string | null; email: string | null }> {
  if (/[@\s]/.test(name)) return [];
  // LIKE folds A–Z only: a name with other letters is compared with the folded names.
  const [email, person] = isAscii(name)
    ? ["user_email", "user_name"]
    : ["fold(user_email)", "fold(user_name)"];
  const like = fold(name).replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .prepare<
      [string, string, string],
      { userId: string; name: string | null; email: string | null }
    >(
      `SELECT user_id AS userId, max(user_name) AS name, max(user_email) AS email FROM people
       WHERE org_id = ? AND (${email} LIKE ? ESCAPE '\\' OR ${person} LIKE ? ESCAPE '\\')
       GROUP BY user_id ORDER BY email`,
    )
    .all(orgId, `${like}@%`, `${like} %`);
}
