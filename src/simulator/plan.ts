/** The realistic profile's plan: who does what, and the incidents seeded into normal work. */
import type { Person, ServiceAccount } from "./people.js";

/** An incident seeded in the realistic stream, which the rules must alert on. */
export interface Incident {
  readonly kind:
    | "destructive-call"
    | "first-use"
    | "new-api-token-account"
    | "read-burst"
    | "new-country"
    | "settings-change"
    | "canary-read"
    | "scope-expansion"
    | "posture-drift";
  /** Days after the start (the day it happens, at `hour` UTC). */
  readonly day: number;
  readonly hour: number;
  /** How many consecutive events it takes (a burst takes many). */
  readonly events: number;
  /** The account it is about. */
  readonly actorId: string;
}

export interface Workday {
  readonly people: readonly Person[];
  readonly serviceAccounts: readonly ServiceAccount[];
  /** The service account whose first API-token call is a seeded incident. */
  readonly newAccount: ServiceAccount;
  readonly incidents: readonly Incident[];
}
