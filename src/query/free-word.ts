/** Free words of a question: the word to look for, or the problem of one that would match nothing. */

import { wallTime } from "../time-zone.js";
import { GENERAL, MAX_VALUE_LENGTH } from "./keys.js";
import type { Term } from "./lex.js";
import { problem, shown, strayWord } from "./problems.js";
import { parseMoment } from "./time.js";
import { items } from "./values.js";

/**
 * The free word of `terms[i]` (undefined when it holds none); throws the problem of one that would
 * be looked for as a word and match nothing: a mention, a key without its colon, a time without
 * its key.
 */
export function freeWord(
  terms: readonly Term[],
  i: number,
  now: number,
  zone: string,
): string | undefined {
  const term = terms[i];
  if (term === undefined) return undefined;
  const item = items(term.pieces, false)[0];
  const word = item?.text;
  if (word === undefined) return undefined;
  if (word.length > MAX_VALUE_LENGTH) {
    throw problem(
      `the word "${shown(word)}" is too long (${word.length} characters, at most ${MAX_VALUE_LENGTH})`,
      GENERAL,
    );
  }
  if (!item?.literal && /^(?:<@[A-Za-z0-9]+(?:\|[^>]*)?>|@[^\s@]+)$/.test(word)) {
    // A person mentioned without `user:` would be a free word that matches nothing.
    throw problem(
      `"${shown(word)}" alone is looked for as a word: to ask about a person, put user: before it`,
      ["user:@alice since:7d", "user:me since:24h"],
      `did you mean user:${shown(word)}? (in quotes, "${shown(word)}" is looked for as a word)`,
    );
  }
  if (!item?.literal) {
    const following = terms[i + 1];
    const next = following?.key === null ? items(following.pieces, false)[0] : undefined;
    const before = terms[i - 1];
    const key = before?.key?.toLowerCase();
    const stray = strayWord(word, {
      next: next?.literal ? undefined : next?.text,
      after:
        before && (key === "since" || key === "until")
          ? {
              key,
              value: items(before.pieces, false)
                .map((v) => v.text)
                .join(""),
            }
          : undefined,
      isTime: (w) => parseMoment(w, false, now, zone).ok,
      dayOf: (v) => {
        const r = parseMoment(v, false, now, zone);
        return r.ok ? r.moment.day : undefined;
      },
      wall: wallTime(now, zone),
    });
    if (stray) throw stray;
  }
  return word;
}
