import type { DescribedAccount, HandedOver } from "../domain/people-meant.js";

/** How a surface shows words: `code` what to type, `text` a string from outside, each escaped. */
export interface Quoting {
  readonly code: (s: string) => string;
  readonly text: (s: string) => string;
}

/**
 * Says whom an address asked about means (the account that has it now) and who had it before,
 * whose calls the answer leaves out, with how to ask about them.
 */
export function handedOverWords({ email, holder, former }: HandedOver, q: Quoting): string {
  const who = (p: DescribedAccount, now: boolean) =>
    `${q.text(p.name ?? p.email ?? "?")} (account ${q.code(p.id)}${now && p.email ? `, ${q.text(p.email)} now` : ""})`;
  const [one] = former;
  const ask =
    one && former.length === 1 ? q.code(`user:${one.id}`) : `${q.code("user:")} and the account id`;
  return `${q.code(`user:${email}`)} is ${who(holder, false)}, who has that address now. It was also the address of ${former.map((p) => who(p, true)).join(", ")}: their calls are not in this answer; ask with ${ask}.`;
}
