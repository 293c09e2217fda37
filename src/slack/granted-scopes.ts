import type { Logger } from "../logger.js";
import { type MissingScope, missingScopes, missingScopesLine } from "./scopes.js";

/**
 * The scopes Slack says the bot token has (the X-OAuth-Scopes header of its Web API answers, read
 * from the first, auth.test at start, and from each one after), against those manifest.yml asks
 * for. Scopes missing are warned of once, when first seen and whenever more go missing; their
 * return is said too. Until an answer carries the header, nothing is known, and nothing is said.
 */
export class GrantedScopes {
  private seen: string | undefined;
  private missing: MissingScope[] | undefined;

  constructor(private readonly log: Logger) {}

  /** The scopes an answer of Slack says the token has. */
  granted(scopes: readonly string[]): void {
    // A header with no scope in it says nothing a token can hold (a proxy's, or none at all).
    if (!scopes.some((scope) => scope.trim() !== "")) return;
    const key = [...scopes].sort().join(",");
    if (key === this.seen) return;
    this.seen = key;
    const before = new Set(this.missing?.map((m) => m.scope));
    const missing = missingScopes(scopes);
    this.missing = missing;
    if (missing.some((m) => !before.has(m.scope)))
      this.log.warn(
        { missing: missing.map((m) => m.scope) },
        `Slack: ${missingScopesLine(missing)}`,
      );
    else if (missing.length === 0 && before.size > 0)
      this.log.info("Slack: the app now has every scope manifest.yml asks for");
  }

  /** The scopes of manifest.yml the app lacks; undefined while Slack has not said. */
  lacking(): readonly MissingScope[] | undefined {
    return this.missing;
  }
}
