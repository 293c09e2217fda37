/** Who alerts, mutes, snoozes, suppressions and what responders taught are about. */

import type { StoredEvent } from "./event.js";

/** The prefix of a person known by e-mail alone (their events name no account id). */
const BY_EMAIL = "email:";

/**
 * The key mutes, snoozes, suppressions and the learning know a person by: their account id (the
 * actor's where the event names no user), else their e-mail, lowercased. Undefined when the
 * events name neither: a name is nobody's own, so nothing is quieted or learned about them.
 */
export function quietKey(person: {
  readonly userId: string | null;
  readonly actorId?: string | null;
  readonly userEmail: string | null;
}): string | undefined {
  const account = person.userId ?? person.actorId ?? null;
  if (account !== null) return account;
  return person.userEmail ? `${BY_EMAIL}${person.userEmail.toLowerCase()}` : undefined;
}

/**
 * The keys of a person who says activity was not them, whose mutes and suppressions end: each of
 * their accounts, and their e-mail (the key of an API token's calls that name no account).
 */
export function keysOfPerson(accounts: readonly string[], email: string | null): string[] {
  const byEmail = quietKey({ userId: null, userEmail: email });
  return [...new Set([...accounts, ...(byEmail === undefined ? [] : [byEmail])])];
}

/** A key of quietKey as an alert holds it: its account id, else (none) its e-mail. */
export function keyedBy(key: string): [userId: string | null, email: string | null] {
  return key.startsWith(BY_EMAIL) ? [null, key.slice(BY_EMAIL.length)] : [key, null];
}

/**
 * Who an alert is about, as grouping keys it: the person's account, else the actor's, else their
 * e-mail (quietKey), else their name; an event naming none of them is about someone of its own.
 */
export function personKey(
  event: Pick<StoredEvent, "id" | "userId" | "actorId" | "userEmail" | "userName" | "actorName">,
): string {
  const name = event.userName ?? event.actorName;
  return quietKey(event) ?? (name ? `name:${name}` : `event:${event.id}`);
}
