/**
 * `/mcp-activity help`, `status` and `settings` are commands, not queries: a slip of one
 * (`setings`, `stauts`, `hlep`, `settings:oauth`) is answered with the command meant rather than
 * searched for as a word that no call holds (a word in quotes is searched for). Pure.
 */

const SUBCOMMANDS = ["help", "status", "settings"] as const;

/**
 * Whether a word is a command's name with one slip of typing: a letter left out, one too many, or
 * two swapped. A letter changed is not one: `helm` or `held` is a word people search for.
 */
function oneSlip(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const swapped = a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  return (
    swapped ||
    a.slice(i + 1) === b.slice(i) || // one too many in a
    a.slice(i) === b.slice(i + 1) // left out of a
  );
}

/**
 * The command a text was meant as, when its first word is one edit from a command's name (a
 * command alone but `settings`, which takes a topic) or `settings:` prefixes a topic; else none.
 */
export function subcommandMeant(text: string): string | undefined {
  const [first = "", ...rest] = text.trim().split(/\s+/);
  const word = first.toLowerCase();
  const topic = [...(word.startsWith("settings:") ? [first.slice(9)] : []), ...rest]
    .filter((w) => w !== "")
    .join(" ");
  if (word.startsWith("settings:")) return topic === "" ? "settings" : `settings ${topic}`;
  const meant = SUBCOMMANDS.find((name) => oneSlip(word, name));
  if (meant === "settings") return topic === "" ? meant : `${meant} ${topic}`;
  return meant !== undefined && rest.length === 0 ? meant : undefined;
}
