import type { DescribedAccount, HandedOver } from "../domain/people-meant.js";
import type { ActivityStore } from "../store/activity.js";

/** A `user:` name that may mean several people, and whom: to ask which rather than add them up. */
export interface UnclearName {
  readonly name: string;
  readonly people: readonly DescribedAccount[];
}

/** Whom the `user:` names of a responder's question mean. */
export interface PeopleMeant {
  /** The names, each address handed over replaced by its holder's account id: for `toFilter`. */
  readonly names: readonly string[];
  readonly handedOver: readonly HandedOver[];
  /** The first name that may still mean several people: asked which. */
  readonly unclear?: UnclearName;
}

/**
 * Reads whom the `user:` names of a responder's question mean, as of `now` (the answer's time). An
 * e-mail address several accounts had, of which exactly one has it now, is that one; the others
 * that had it before (an address given to someone else, or a changed one reused) are told, unless
 * another name of the question picks them. Any other name of several people (two of one display
 * name, or an address all of them or none of them have now) is unclear.
 */
export function peopleMeant(
  store: Pick<ActivityStore, "lookalikes" | "holdersOf" | "firstCallWith" | "personIds">,
  orgId: string,
  names: readonly string[],
  now: number,
): PeopleMeant {
  const read = names.map((name) => {
    const people = store.lookalikes(orgId, name);
    const holder = people.length > 1 ? soleHolder(store, orgId, name, people, now) : undefined;
    return { name, people, holder };
  });
  const meant = read.map(({ name, holder }) => holder?.id ?? name);
  const handedOver: HandedOver[] = [];
  let unclear: UnclearName | undefined;
  read.forEach(({ name, people, holder }, i) => {
    if (!holder) {
      if (people.length > 1) unclear ??= { name, people };
      return;
    }
    // Those that had it before now (one that took it up since is none of them), whose calls the
    // answer leaves out: not one another name of the question picks.
    const picked = new Set(store.personIds(orgId, meant.toSpliced(i, 1)));
    const former = people.filter(
      (p) =>
        p !== holder &&
        !picked.has(p.id) &&
        (store.firstCallWith(orgId, p.id, name) ?? now + 1) <= now,
    );
    if (former.length > 0) handedOver.push({ email: name, holder, former });
  });
  return { names: meant, handedOver, ...(unclear ? { unclear } : {}) };
}

/** The one of `people` that has the address `name` now, if it is an address and one has it. */
function soleHolder(
  store: Pick<ActivityStore, "holdersOf">,
  orgId: string,
  name: string,
  people: readonly DescribedAccount[],
  now: number,
): DescribedAccount | undefined {
  if (!name.includes("@")) return undefined;
  const holders = store.holdersOf(orgId, name, now);
  const held = people.filter((p) => holders.includes(p.id));
  return held.length === 1 ? held[0] : undefined;
}
