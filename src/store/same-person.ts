/**
 * The SQL condition on `table`'s alerts about the person a key of quietKey names, taking two
 * parameters (keyedBy(key)): those with that account id, or, without one, with that e-mail.
 */
export const samePerson = (table: string): string =>
  `${table}.user_id IS ? AND (${table}.user_id IS NOT NULL OR lower(${table}.user_email) = ?)`;
