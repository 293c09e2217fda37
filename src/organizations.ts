/**
 * The id among `ids` that `text` names, in any case (as ATLASSIAN_ORG_ID and `org:` read an id),
 * in the spelling of `ids`: spelled as given when one is (two spellings of one id are stored when
 * ATLASSIAN_ORG_ID's changed), else the one id it names in another case.
 */
export function idNamed(ids: readonly string[], text: string): string | undefined {
  const given = text.trim();
  if (ids.includes(given)) return given;
  const named = ids.filter((id) => id.toLowerCase() === given.toLowerCase());
  return named.length === 1 ? named[0] : undefined;
}

/**
 * The organizations one instance watches, in the order of ATLASSIAN_ORG_ID, with their names as
 * the organizations API last gave them, before a restart too (the id while it never has). Views
 * name the organization only when there are several: with one, they stay as they always were.
 */
export class WatchedOrgs {
  readonly ids: readonly string[];

  constructor(
    ids: readonly string[],
    private readonly nameOf: (orgId: string) => string | undefined = () => undefined,
  ) {
    if (ids.length === 0) throw new RangeError("at least one organization is watched");
    this.ids = [...ids];
  }

  /** The organization a query or command means when it names none. */
  get first(): string {
    return this.ids[0] as string;
  }

  get several(): boolean {
    return this.ids.length > 1;
  }

  includes(orgId: string): boolean {
    return this.ids.includes(orgId);
  }

  /**
   * Its name, or its id while the name was never known; `name (id)` when another watched organization
   * has the same name in any case (Atlassian admins choose them: production and sandbox may both
   * be "Acme"), as `org:` finds names in any case.
   */
  name(orgId: string): string {
    const name = this.nameOf(orgId);
    if (!name) return orgId;
    const same = name.toLowerCase();
    const shared = this.ids.some((id) => id !== orgId && this.nameOf(id)?.toLowerCase() === same);
    return shared ? `${name} (${orgId})` : name;
  }

  /** What a view shows about the organization: its name when several are watched, else nothing. */
  label(orgId: string): string | undefined {
    return this.several ? this.name(orgId) : undefined;
  }

  /**
   * The organization an operator means by its id or its name (any case); none for a name two
   * organizations share (the caller lists them, by `describe`, to choose by id).
   */
  find(text: string): string | undefined {
    const byId = idNamed(this.ids, text);
    if (byId) return byId;
    const named = this.named(text);
    return named.length === 1 ? named[0] : undefined;
  }

  /** The organizations called `text` (any case). */
  named(text: string): string[] {
    const wanted = text.trim().toLowerCase();
    return this.ids.filter((id) => this.nameOf(id)?.toLowerCase() === wanted);
  }

  /** Every organization's id and name (none while unknown, or when it is the id), in order. */
  listed(): { readonly id: string; readonly name: string | undefined }[] {
    return this.ids.map((id) => {
      const name = this.nameOf(id);
      return { id, name: name && name !== id ? name : undefined };
    });
  }

  /** Every organization as `name (id)`, for messages that list them. */
  describe(): string {
    return this.listed()
      .map(({ id, name }) => (name === undefined ? id : `${name} (${id})`))
      .join(", ");
  }
}
