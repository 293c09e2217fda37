/** The weekly "acted as you" check: one person's week, asked once. */

export interface Attestation {
  readonly id: number;
  readonly orgId: string;
  readonly weekStart: number;
  readonly weekEnd: number;
  readonly accountId: string;
  readonly slackUser: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly calls: number;
  readonly writes: number;
  /** Destructive or admin calls. */
  readonly deletes: number;
  /** Jira projects, or products on sites, the most used first. */
  readonly places: readonly string[];
  /**
   * The newest event seq given when its figures were read: the calls stored up to it are those it
   * counted. Null for a check made before that was recorded.
   */
  readonly storedThrough: number | null;
  readonly dmChannel: string | null;
  readonly dmTs: string | null;
  readonly answer: "yes" | "no" | null;
  readonly answeredAt: number | null;
  readonly alertId: number | null;
  /** When the check was recorded: with its id, what its buttons name (see row-ref.ts). */
  readonly createdAt: number;
}

export type NewAttestation = Omit<
  Attestation,
  "id" | "dmChannel" | "dmTs" | "answer" | "answeredAt" | "alertId" | "createdAt"
>;
