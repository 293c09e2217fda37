import { mrkdwn } from "../escape.js";

/** An account as a list shows it: the name, and the e-mail, of its newest call or alert counted. */
export interface ShownAccount {
  readonly name: string;
  readonly email: string | null;
}

/**
 * Each account's name, escaped for mrkdwn and cut to `max`; a name shown for two accounts or more
 * has each one's e-mail beside it, so that two "Alex Kim" read as two people.
 */
export function accountLabels(accounts: readonly ShownAccount[], max: number): string[] {
  const names = accounts.map((a) => mrkdwn(a.name, max));
  return names.map((name, i) => {
    const email = accounts[i]?.email;
    const twice = names.indexOf(name) !== names.lastIndexOf(name);
    return twice && email ? `${name} (${mrkdwn(email, max)})` : name;
  });
}
