import type { Db } from "./db.js";

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
  const exact = (by === "email" ? [] : ["user_id = ?", "user_name = ? COLLATE NOCASE"])
    .concat("user_email = ? COLLATE NOCASE")
    .map(lookup);
  for (const name of names) {
    let found = exact.flatMap((l) => l.all(orgId, name).map((row) => row.user_id));
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
  const like = name.replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .prepare<
      [string, string, string],
      { userId: string; name: string | null; email: string | null }
    >(
      `SELECT user_id AS userId, max(user_name) AS name, max(user_email) AS email FROM people
       WHERE org_id = ? AND (user_email LIKE ? ESCAPE '\\' OR user_name LIKE ? ESCAPE '\\')
       GROUP BY user_id ORDER BY email`,
    )
    .all(orgId, `${like}@%`, `${like} %`);
}
