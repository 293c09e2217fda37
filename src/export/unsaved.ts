import type { ExportPositions } from "../domain/export.js";
import type { ExportStore } from "../store/export.js";

/**
 * Positions the receiver acknowledged (2xx) that the database did not take (SQLITE_BUSY, a full
 * disk): kept here and written again before another batch is read, so that a batch the receiver
 * has is not POSTed again and again while the write fails. Lost by a restart, which sends it once
 * more (delivery is at least once).
 */
export class UnsavedPositions {
  private readonly held = new Map<
    string,
    { readonly to: ExportPositions; readonly at: number; readonly sent: readonly number[] }
  >();

  /** `receiver`: the fingerprint of the receiver that acknowledged them (sign.ts). */
  constructor(
    private readonly store: Pick<ExportStore, "commit">,
    private readonly receiver: string,
  ) {}

  /**
   * Keeps where the organization was delivered up to, and the events sent (`sent`, their seqs),
   * to be saved with the others.
   */
  hold(orgId: string, to: ExportPositions, deliveredAt: number, sent: readonly number[]): void {
    const before = this.held.get(orgId)?.sent ?? [];
    this.held.set(orgId, { to, at: deliveredAt, sent: [...before, ...sent] });
  }

  /** Writes every position held, in order; the write's error when one failed (it stays held). */
  save(): Error | undefined {
    for (const [orgId, { to, at, sent }] of this.held) {
      try {
        this.store.commit(orgId, to, { at, to: this.receiver }, sent);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
      this.held.delete(orgId);
    }
    return undefined;
  }
}
