/**
 * A text file saved as UTF-16 (Windows PowerShell 5's `>` and Out-File, Notepad's "Unicode"):
 * read as UTF-8, its byte-order mark and the NUL bytes its ASCII characters carry would become
 * part of what is read.
 */

/** Whether a file's bytes are UTF-16: a byte-order mark, or NUL bytes. */
export function isUtf16(bytes: Buffer): boolean {
  const mark = bytes.subarray(0, 2).toString("hex");
  return mark === "fffe" || mark === "feff" || bytes.includes(0);
}

/** What is said of such a file, after its name. */
export const SAVED_AS_UTF16 =
  "is saved as UTF-16 (as PowerShell 5's > and Out-File, or Notepad's \"Unicode\", save it): save it as UTF-8";
