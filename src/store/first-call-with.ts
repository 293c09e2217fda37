import type { Db } from "./db.js";

/**
 * When an account's first stored MCP call with this address (any case) was made: when it took the
 * address up. Read by the account's own index, oldest first.
 */
export function firstCallWith(
  db: Db,
  orgId: string,
  accountId: string,
  email: string,
): number | undefined {
  return db
    .prepare<[string, string, string], number>(
      `SELECT r.time FROM event_rows r JOIN strings s ON s.ref = r.user_email
       WHERE r.org = (SELECT ref FROM strings WHERE value = ?)
         AND r.user_id = (SELECT ref FROM strings WHERE value = ?)
         AND r.is_mcp = 1 AND s.value = ? COLLATE NOCASE
       ORDER BY r.time LIMIT 1`,
    )
    .pluck()
    .get(orgId, accountId, email);
}
