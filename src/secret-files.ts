import { readFileSync } from "node:fs";
import { closedFolderCause } from "./closed-folder.js";
import { isQuoted } from "./quoted-value.js";
import { isUtf16, SAVED_AS_UTF16 } from "./utf16.js";

/** The secret variables that may instead name a file (`<NAME>_FILE`), as Docker and Kubernetes mount them. */
export const SECRET_VARIABLES = [
  "ATLASSIAN_API_KEY",
  "SLACK_BOT_TOKEN",
  "SLACK_APP_TOKEN",
  "SLACK_SIGNING_SECRET",
  "METRICS_TOKEN",
  "EXPORT_SECRET",
] as const;

export interface SecretFiles {
  /** The variables with every readable `<NAME>_FILE` replaced by `<NAME>` and its content. */
  readonly vars: Record<string, string>;
  /** One line per problem; names the variables and the path, never the content. */
  readonly problems: readonly string[];
  /** The secrets whose file was at fault: their own "is required" line would repeat it. */
  readonly failed: ReadonlySet<string>;
}

/**
 * Reads `<NAME>_FILE` for each secret variable, its content taken as a value given directly:
 * the line breaks and spaces around it are not part of the secret, and quotes around it, or a
 * file saved as UTF-16, are refused (they would be taken into it).
 */
export function readSecretFiles(
  vars: Record<string, string>,
  names: readonly string[] = SECRET_VARIABLES,
): SecretFiles {
  const out = { ...vars };
  const problems: string[] = [];
  const failed = new Set<string>();
  for (const name of names) {
    const fileVar = `${name}_FILE`;
    const path = vars[fileVar];
    if (path === undefined) continue;
    delete out[fileVar];
    const read =
      vars[name] === undefined
        ? readSecret(name, fileVar, path)
        : { problem: `${name} and ${fileVar} are both set: keep only one of them` };
    if ("value" in read) out[name] = read.value;
    else {
      problems.push(read.problem);
      failed.add(name);
    }
  }
  return { vars: out, problems, failed };
}

function readSecret(
  name: string,
  fileVar: string,
  path: string,
): { value: string } | { problem: string } {
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    const why = closedFolderCause(path, error) ?? "check the path and that this user may read it";
    return { problem: `${fileVar} points at ${path}, which cannot be read (${code}): ${why}` };
  }
  // Its byte-order mark and NUL bytes would be taken into the secret.
  if (isUtf16(content)) return { problem: `${fileVar} points at ${path}, which ${SAVED_AS_UTF16}` };
  const value = content.toString("utf8").trim();
  if (value === "")
    return { problem: `${fileVar} points at ${path}, which is empty: put the ${name} value in it` };
  if (isQuoted(value))
    return {
      problem: `${fileVar} points at ${path}, which holds the value in quotes: remove them (the file holds the value alone)`,
    };
  return { value };
}
