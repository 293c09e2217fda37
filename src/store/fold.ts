import type { Db } from "./db.js";

/**
 * Case-insensitive matching of any letters. SQLite's NOCASE and LIKE fold A–Z only, so "Ñúñez"
 * would not find "ñúñez": a value with other characters is compared through `fold()`, a SQL
 * function of every connection, on both sides. Plain ASCII keeps NOCASE and its indexes.
 */
export function fold(text: string): string {
  return text.normalize("NFC").toLowerCase();
}

export function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** Registers `fold(text)` on a connection. */
export function registerFold(db: Db): void {
  db.function("fold", { deterministic: true }, (value: unknown) =>
    typeof value === "string" ? fold(value) : value,
  );
}

/**
 * `column` equal to any of `values`, whatever their case: NOCASE for ASCII values, `fold()` for
 * the others. The SQL and its parameters.
 */
export function anyOfFolded(
  column: string,
  values: readonly string[],
): { sql: string; params: string[] } {
  const plain = values.filter(isAscii);
  const other = values.filter((v) => !isAscii(v)).map(fold);
  const marks = (n: number) => Array(n).fill("?").join(", ");
  const terms = [
    ...(plain.length > 0 ? [`${column} COLLATE NOCASE IN (${marks(plain.length)})`] : []),
    ...(other.length > 0 ? [`fold(${column}) IN (${marks(other.length)})`] : []),
  ];
  return {
    sql: terms.length > 1 ? `(${terms.join(" OR ")})` : (terms[0] ?? "0"),
    params: [...plain, ...other],
  };
}
