/**
 * Who a call is by, as detection keys people (personKey in domain/person-key): the account id,
 * else the e-mail (stored lowercased), else the name; NULL when the call names none of them. Over
 * the `events` view. An API-token call may name an e-mail only: its person is counted, ranked and
 * found new like any other.
 */
export const PERSON = "coalesce(user_id, 'email:' || user_email, 'name:' || user_name)";

/** PERSON over `event_rows`, by the strings' refs (one per value): no look-up of the values. */
export const PERSON_REF = "coalesce('a' || user_id, 'e' || user_email, 'n' || user_name)";

/** One person as `event_rows` holds them: the refs of their account id, else e-mail, else name. */
export interface PersonRefs {
  readonly id: number | null;
  readonly email: number | null;
  readonly name: number | null;
}

/**
 * Where one person's calls are in `event_rows`, as SQL (the table, then the condition) and the
 * condition's parameter: those of the account (a seek on event_rows_mcp_user), else, naming
 * none, of the e-mail, else of the name (on the index of those calls, named: without statistics
 * SQLite would rather walk the seq index).
 */
export function personCalls(p: PersonRefs): [table: string, condition: string, ref: number] {
  if (p.id !== null) return ["event_rows", "user_id = ?", p.id];
  const unaccounted = "event_rows INDEXED BY event_rows_mcp_unaccounted";
  if (p.email !== null) return [unaccounted, "user_id IS NULL AND user_email = ?", p.email];
  return [unaccounted, "user_id IS NULL AND user_email IS NULL AND user_name = ?", p.name ?? 0];
}
