/** A failure delivery met: its code, the setup advice when it is a setup problem, and when. */
export interface DeliveryError {
  readonly code: string;
  readonly advice: string | null;
  readonly at: number;
}

/** The code a failure that is not the database's (a bug) is kept under. */
export const INTERNAL = "internal";
/**
 * SQLite's codes for a lock another connection holds, extended codes included (SQLITE_LOCKED is
 * not one storeProblem names: it is kept as INTERNAL, which a claim ends too).
 */
const LOCKED = /^SQLITE_BUSY/;

/** Whether a claim proves a failure of `code` over: a lock's or a bug's. */
export function claimEnds(code: string): boolean {
  return code === INTERNAL || LOCKED.test(code);
}

/** The last failure of one kind the outbox met, and whether the pass under way met one again. */
export class PassFailure {
  private kept: DeliveryError | null = null;
  /** How many were met: a pass compares it before and after. */
  private count = 0;
  /** count as the pass under way began. */
  private passStart = 0;

  get current(): DeliveryError | null {
    return this.kept;
  }

  met(code: string, at: number): void {
    this.kept = { code, advice: null, at };
    this.count++;
  }

  begin(): void {
    this.passStart = this.count;
  }

  /** Ends the failure kept, unless the pass under way met one again; returns its code, if ended. */
  end(): string | null {
    if (this.kept === null || this.passStart !== this.count) return null;
    const { code } = this.kept;
    this.kept = null;
    return code;
  }
}
