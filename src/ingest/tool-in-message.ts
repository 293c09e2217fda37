import { dangerOf, describeTool, hasVerbWord, TOOL_SHAPED, type ToolCatalogue } from "./tools.js";

/** A tool read from an event: the name, the operation a wrapper ran, and whether it is a guess. */
export interface ToolReading {
  readonly tool: string;
  readonly innerTool: string | null;
  readonly guessed: boolean;
}

interface Candidate {
  readonly name: string;
  readonly order: number;
  /** Where the message says it was called: 2 after "called" ("… called X"), 1 before it ("X called …"). */
  readonly called: number;
  readonly danger: number;
  readonly wrapper: boolean;
  /** In the catalogue (or the rules file's tools), not read from its verb alone. */
  readonly listed: boolean;
}

const WORD = "[A-Za-z_][A-Za-z0-9_]*";
const DESTRUCTIVE = dangerOf("destructive");
const AFTER_CALLED = new RegExp(`\\bcalled\\s+(?:the\\s+)?(?:tool\\s+)?[\`'"“]?(${WORD})`, "gi");
// Both start at a word boundary: a match tried at every letter of a long word costs the square
// of its length (a 20 KB message held the event loop for 30 s).
const BEFORE_CALLED = new RegExp(`\\b(${WORD})[\`'"”]?\\s+(?:was\\s+)?called\\b`, "gi");
/** camelCase or snake_case: how a tool's name looks, unlike a person's or an app's. */
const NAME_LIKE_A_TOOL = /^[a-z][a-z0-9]*[A-Z_]/;

const knownPatterns = new WeakMap<ToolCatalogue, RegExp>();

/** Known tool names with a capital inside (never plain words such as `search`), longest first. */
function knownIn(catalogue: ToolCatalogue): RegExp {
  let pattern = knownPatterns.get(catalogue);
  if (!pattern) {
    const names = [...catalogue.entries.keys()]
      .filter((name) => /[A-Z]/.test(name))
      .sort((x, y) => y.length - x.length)
      .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    pattern = names.length > 0 ? new RegExp(`\\b(?:${names.join("|")})\\b`, "g") : /$^/g;
    knownPatterns.set(catalogue, pattern);
  }
  return pattern;
}

/**
 * The tool a message names. Token labels, app names, people's names and page titles are chosen by
 * users and appear in the same text, so a name is never trusted for being first: with one tool
 * name in the text, that is the tool; with several, the most dangerous class of those the
 * catalogue lists, the one after "called", and the one before "called" when no tool name follows
 * a "called" ("X called through …") wins (then the one the message says was called) and the
 * reading is marked a guess: a name read from its verb alone elsewhere never outranks them.
 * A wrapper (`executeWrite`) is the tool, and another name beside it the operation it ran, unless
 * the wrapper is less than destructive and any name beside it more dangerous: then that name is
 * the tool, a guess.
 * A name the message says was called that is read as no tool (`called frobnicateBoards`) makes any
 * other reading a guess.
 */
export function toolFromMessage(message: string, catalogue: ToolCatalogue): ToolReading | null {
  const found = new Map<string, Candidate>();
  let unread = false;
  // "X called Y" names a caller or a token label X; without a Y ("X called through …", "X was
  // called by …") X is the tool.
  let active = false;
  const add = (name: string, order: number, called: number) => {
    const before = found.get(name);
    if (before) {
      if (called > before.called) found.set(name, { ...before, called });
      return;
    }
    const info = describeTool(name, catalogue);
    found.set(name, {
      name,
      order,
      called,
      danger: dangerOf(info.class),
      wrapper: info.wrapper,
      listed: info.known !== null,
    });
  };
  for (const match of message.matchAll(knownIn(catalogue))) add(match[0], match.index, 0);
  for (const match of message.matchAll(TOOL_SHAPED)) add(match[0], match.index, 0);
  for (const [pattern, called] of [
    [AFTER_CALLED, 2],
    [BEFORE_CALLED, 1],
  ] as const) {
    for (const match of message.matchAll(pattern)) {
      const name = match[1] ?? "";
      // A plain word is a tool only where the message says it was called (`called search`), and a
      // name the catalogue does not list only when a word of it is a verb (`called jira_delete_issue`).
      const read = catalogue.entries.has(name) || found.has(name) || hasVerbWord(name);
      const shaped = read || NAME_LIKE_A_TOOL.test(name);
      if (read) add(name, match.index, called);
      else if (shaped) unread = true;
      if (shaped && called === 2) active = true;
    }
  }
  const all = [...found.values()];
  // A name read from its verb alone where a token label or a page title sits
  // (`API token nightly_archive_export called getJiraIssue`, `on page “purgeStaleBackups”`) is the
  // tool only when the message names no other and none it says was called is unread.
  const trusted = all.filter((c) => c.listed || c.called === 2 || (c.called === 1 && !active));
  const considered = trusted.length > 0 ? trusted : unread ? [] : all;
  const wrapper = pick(considered.filter((c) => c.wrapper));
  const other = pick(considered.filter((c) => !c.wrapper));
  // A wrapper named in a page title or a token label must not make a delete look like a write, and
  // a write wrapper may be logged with the delete it ran beside it: a wrapper less than destructive
  // gives way to any more dangerous name (a destructive one is alerted on as such already).
  const strongest = pick(all.filter((c) => !c.wrapper));
  const rival = other && strongest && other.danger >= strongest.danger ? other : strongest;
  const givesWay =
    wrapper && rival && rival.danger > wrapper.danger && wrapper.danger < DESTRUCTIVE;
  if (wrapper && !givesWay) {
    const rivals = all.filter((c) => c.wrapper).length;
    const inner = other ?? strongest;
    return { tool: wrapper.name, innerTool: inner?.name ?? null, guessed: rivals > 1 || unread };
  }
  const tool = givesWay ? rival : other;
  if (!tool) return null;
  return { tool: tool.name, innerTool: null, guessed: all.length > 1 || unread };
}

/** The most dangerous, then the one the message says was called, then the first. */
function pick(candidates: readonly Candidate[]): Candidate | undefined {
  return [...candidates].sort(
    (a, b) => b.danger - a.danger || b.called - a.called || a.order - b.order,
  )[0];
}
