import type { ActivityStore } from "../../store/activity.js";
import type { FollowUpStore } from "../../store/followups.js";

export interface AddressStores {
  readonly followUps: Pick<FollowUpStore, "addressNow">;
  readonly activity: Pick<ActivityStore, "holdersOf" | "firstCallWith">;
}

/** An account, and the address its calls made from `first` to `last` name (an alert's, a week's). */
export interface Addressed {
  readonly accountId: string;
  readonly email: string;
  readonly first: number;
  readonly last: number;
}

/**
 * The address an account has now: that of its newest MCP call when made after `first`, else
 * `email`; `taken` when another account that has it made its first call with it after this
 * account's last, as a new hire given a leaver's address does: whoever has it in Slack is not this
 * account's person. Read in every watched organization (`orgIds`): an Atlassian account, its
 * address and the Slack user of that address are the same in each.
 */
export function addressNow(
  stores: AddressStores,
  orgIds: readonly string[],
  account: Addressed,
  now: number,
): { readonly email: string; readonly taken: boolean } {
  const newest = orgIds
    .map((orgId) => stores.followUps.addressNow(orgId, account.accountId, now))
    .reduce((a, b) => (b !== undefined && (a === undefined || b.time > a.time) ? b : a), undefined);
  const email = newest && newest.time > account.first ? newest.email : account.email;
  const last = Math.max(newest?.time ?? Number.NEGATIVE_INFINITY, account.last);
  const tookUp = (id: string) =>
    Math.min(...orgIds.flatMap((orgId) => stores.activity.firstCallWith(orgId, id, email) ?? []));
  const others = orgIds.flatMap((orgId) => stores.activity.holdersOf(orgId, email, now));
  const taken = others.some((id) => id !== account.accountId && tookUp(id) > last);
  return { email, taken };
}
