import type { Statement } from "better-sqlite3";
import type { Db } from "./db.js";

/**
 * Statements prepared at first use, each once: a store whose tables a later migration makes can be
 * opened on a database before it (an upgrade's tests open one) and is read only once migrated.
 */
export function lazyStatements(db: Db): (sql: string) => Statement {
  const prepared = new Map<string, Statement>();
  return (sql) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      prepared.set(sql, statement);
    }
    return statement;
  };
}
