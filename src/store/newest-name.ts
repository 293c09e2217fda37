/**
 * In a query grouped by account, the one aggregate that makes SQLite take the other (bare) columns
 * from the account's newest call that names them: the name it has now, even when its very newest
 * call names none (the audit log does not promise a name on every event). An account none of whose
 * calls names a name takes them from its newest call: a named call's time counts 10^15 ms more.
 */
export const NEWEST_NAMED =
  "max(CASE WHEN user_name IS NOT NULL THEN time + 1000000000000000 ELSE time END)";
