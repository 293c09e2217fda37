import type Database from "better-sqlite3";

/** A connection to the database (better-sqlite3), as every store takes it. */
export type Db = Database.Database;
