/** Whom the `user:` names of a question mean, when a name was more than one account's. */

/** An account as a question about a name describes it: by the name and e-mail it has now. */
export interface DescribedAccount {
  readonly id: string;
  readonly name: string | null;
  readonly email: string | null;
}

/**
 * An e-mail address several accounts had, one of which has it now (its newest call was made with
 * it): a question about the address is about that one; the others, who had it before, are told.
 */
export interface HandedOver {
  readonly email: string;
  readonly holder: DescribedAccount;
  readonly former: readonly DescribedAccount[];
}
