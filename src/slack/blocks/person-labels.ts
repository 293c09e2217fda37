import type { Ranked, RankedAccount } from "../../domain/home.js";
import { nameKey } from "../../hidden-characters.js";
import { mrkdwn } from "../escape.js";

/** An account as a list shows it: the name, and the e-mail, of its newest call or alert counted. */
export interface ShownAccount {
  readonly name: string;
  readonly email: string | null;
  /** The account id, shown instead of an e-mail that none of its calls gives. */
  readonly id?: string | null | undefined;
}

/** Whether the name at `i` shows as another's: compared by `nameKey`. */
function sharedAt(keys: readonly string[], i: number): boolean {
  const key = keys[i];
  return key !== undefined && keys.indexOf(key) !== keys.lastIndexOf(key);
}

/**
 * Each account's name, escaped for mrkdwn and cut to `max`; a name shown for two accounts or more
 * (as it shows: "Alex Kim" and "alex kim", or one with an invisible character, are one name) has
 * each one's e-mail (else, or when they share it too, its id) beside it, so that two "Alex Kim"
 * read as two people.
 */
export function accountLabels(accounts: readonly ShownAccount[], max: number): string[] {
  const names = accounts.map((a) => mrkdwn(a.name, max));
  const told = apart(names.map(nameKey), accounts);
  return names.map((name, i) => {
    const t = told[i];
    return t ? `${name} (${mrkdwn(t, max)})` : name;
  });
}

/** What may tell an account apart from another of its name. */
type Known = { readonly email?: string | null; readonly id?: string | null };

/**
 * What tells each account whose name shows as another's (`keys`, as in `sharedAt`) apart: its
 * e-mail, else its id; its id also when another of that name has its e-mail too (one person's two
 * accounts on one address). Null for a name shown once, or when nothing tells it apart.
 */
function apart(keys: readonly string[], accounts: readonly Known[]): Array<string | null> {
  const email = (i: number) => accounts[i]?.email?.toLowerCase();
  return accounts.map((a, i) => {
    if (!sharedAt(keys, i)) return null;
    const same = keys.some((k, j) => j !== i && k === keys[i] && email(j) === email(i));
    return (a.email && !same ? a.email : (a.id ?? a.email)) ?? null;
  });
}

/** A ranked account as a ranking shows it. */
export interface RankedLabel extends Ranked {
  /**
   * Its e-mail (else, or when that one's is its e-mail too, its id) when another account's name
   * shows as its own; not yet escaped.
   */
  readonly told?: string;
}

/**
 * A ranking of accounts whose names are shown cut to `max`: a name that shows, cut and escaped, as
 * another's (compared as in `accountLabels`) has what tells it apart in `told`, to show after it.
 */
export function rankedLabels(ranked: readonly RankedAccount[], max: number): RankedLabel[] {
  // A key that is already the e-mail (the account's calls name no one) is told by its id.
  const told = apart(
    ranked.map((r) => nameKey(mrkdwn(r.key, max))),
    ranked.map((r) => (r.email === r.key ? { id: r.id } : r)),
  );
  return ranked.map((r, i) => {
    const shown = { key: r.key, count: r.count };
    const t = told[i];
    return t ? { ...shown, told: t } : shown;
  });
}

/** A ranked name escaped and cut to `max`, then what tells it apart, escaped and cut alike. */
export function rankedLabel(ranked: RankedLabel, max: number): string {
  const name = mrkdwn(ranked.key, max);
  return ranked.told === undefined ? name : `${name} (${mrkdwn(ranked.told, max)})`;
}
