/**
 * In a query grouped by account, the one aggregate that makes SQLite take the other (bare) columns
 * from the account's newest call that names them: the name it has now, even when its very newest
 * call names none (the audit log does not promise a name on every event).
 */
export const NEWEST_NAMED = "max(CASE WHEN user_name IS NOT NULL THEN time END)";
