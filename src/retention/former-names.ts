import { FIRST_CALL, type FormerNames } from "../store/former-names.js";
import { nextTurn } from "../wait.js";

/**
 * Forgets the e-mails and names accounts of `orgId` had only in calls the retention deleted (see
 * FormerNames), reading each account's calls 200 at a time with a turn of the event loop
 * between reads; how many rows went. An account whose former rows are found among its first
 * calls (as they are while calls made with them are kept) costs one read.
 */
export async function forgetFormerNames(
  names: FormerNames,
  orgId: string,
  signal?: AbortSignal,
): Promise<number> {
  let forgotten = 0;
  for (const [userId, unseen] of names.accounts(orgId)) {
    const after = names.newestSeq();
    let from: typeof FIRST_CALL | null = FIRST_CALL;
    while (from !== null && unseen.size > 0) {
      if (signal?.aborted) return forgotten;
      from = names.read(orgId, userId, from, unseen);
      await nextTurn();
    }
    if (unseen.size > 0) forgotten += names.forget(orgId, userId, unseen, after);
  }
  return forgotten;
}
