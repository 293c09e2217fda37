import type { Ranked, RankedAccount } from "../../domain/home.js";
import { mrkdwn } from "../escape.js";

/** An account as a list shows it: the name, and the e-mail, of its newest call or alert counted. */
export interface ShownAccount {
  readonly name: string;
  readonly email: string | null;
  /** The account id, shown instead of an e-mail that none of its calls gives. */
  readonly id?: string | null | undefined;
}

/**
 * Each account's name, escaped for mrkdwn and cut to `max`; a name shown for two accounts or more
 * has each one's e-mail (else its id) beside it, so that two "Alex Kim" read as two people.
 */
export function accountLabels(accounts: readonly ShownAccount[], max: number): string[] {
  const names = accounts.map((a) => mrkdwn(a.name, max));
  return names.map((name, i) => {
    const told = apart(accounts[i]);
    const twice = names.indexOf(name) !== names.lastIndexOf(name);
    return twice && told ? `${name} (${mrkdwn(told, max)})` : name;
  });
}

/** What tells an account apart from another of its name: its e-mail, else its id. */
function apart(account: { email?: string | null; id?: string | null } | undefined): string | null {
  return account?.email ?? account?.id ?? null;
}

/**
 * A ranking of accounts whose keys tell them apart, not yet escaped: a key shown for two accounts
 * or more has each one's e-mail (else its id) after it.
 */
export function rankedLabels(ranked: readonly RankedAccount[]): Ranked[] {
  const keys = ranked.map((r) => r.key);
  return ranked.map((r) => {
    // A key that is already the e-mail (the account's calls name no one) is told by its id.
    const told = apart(r.email === r.key ? { id: r.id } : r);
    const twice = keys.indexOf(r.key) !== keys.lastIndexOf(r.key);
    return { key: twice && told ? `${r.key} (${told})` : r.key, count: r.count };
  });
}
