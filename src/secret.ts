import { createHmac } from "node:crypto";
import { inspect } from "node:util";

/**
 * A short digest that tells one secret from another without giving it away: an HMAC of `what`
 * keyed with the secret, for a record that must say which secret it was made with.
 */
export function fingerprint(secret: string, what: string): string {
  return createHmac("sha256", secret).update(`mcp-activity ${what}`).digest("hex").slice(0, 16);
}

/**
 * A credential that cannot leak by accident: printing, logging or serialising it shows
 * "[redacted]". Only `reveal()` gives the value, at the one place that sends it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** See `fingerprint`. */
  fingerprint(what: string): string {
    return fingerprint(this.#value, what);
  }

  toString(): string {
    return "[redacted]";
  }

  toJSON(): string {
    return "[redacted]";
  }

  [inspect.custom](): string {
    return "[redacted]";
  }
}
