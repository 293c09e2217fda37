import { monotonicNow } from "../clock.js";
import type { Logger } from "../logger.js";
import type { ActionCatalogue } from "./action-catalogue.js";
import type { ChangedAgain } from "./changed-again.js";
import { classifyAgainPass } from "./classify-again-pass.js";
import { CallFiller } from "./fill-calls.js";
import type { PollerSettings } from "./poller-options.js";
import { recoverQuarantined } from "./quarantine-recovery.js";

/**
 * The work a poll that read to the end leaves for after it, on stored events: the quarantined
 * items read again once per start (recoverQuarantined: those this build reads are stored, and the
 * rules judge them; a pass cut short, stopped or failed, goes on after the next poll from the
 * last chunk it committed), those of actions newly listed as MCP classified again
 * (classifyAgainPass), then the operation and guessed flag of calls stored before those had
 * columns (CallFiller). A failure of any is warned of: what is left is done after the next poll.
 */
export class AfterPoll {
  private readonly filler: CallFiller;
  /** This start's pass over the quarantine: the last item read, and whether it read to the end. */
  private recovery = { after: 0, done: false };

  constructor(
    private readonly o: PollerSettings,
    private readonly catalogue: ActionCatalogue,
    private readonly log: Logger,
    private readonly changedAgain: ChangedAgain,
  ) {
    this.filler = new CallFiller({
      orgId: o.client.orgId,
      stores: o.stores,
      log,
      elapsed: () => monotonicNow(o.clock),
      tools: o.tools,
    });
  }

  async run(signal?: AbortSignal): Promise<void> {
    await this.recover(signal);
    await this.classifyAgain(signal);
    try {
      await this.filler.pass(signal);
    } catch (error) {
      if (signal?.aborted) return;
      this.log.warn(
        { err: error },
        "storing the operation of MCP calls stored before it had a column failed: it goes on after the next poll",
      );
    }
  }

  private async recover(signal?: AbortSignal): Promise<void> {
    const { o } = this;
    if (this.recovery.done) return;
    try {
      const catalog = await this.catalogue.current(signal);
      const pass = await recoverQuarantined(
        {
          orgId: o.client.orgId,
          stores: o.stores,
          log: this.log,
          now: () => o.clock.now(),
          after: this.recovery.after,
          // As a poll's commit: the rules judge what was stored, other content is warned of.
          onStored: ({ events, changed }) => {
            this.changedAgain.note(changed);
            o.onStored?.({ events, quarantined: 0, changed: changed.length });
            if (events > 0) o.onCommit?.();
          },
          // Kept at each commit, so that a pass that fails goes on from there too.
          reached: (after) => {
            this.recovery = { after, done: false };
          },
          stop: () => signal?.aborted === true,
        },
        catalog,
      );
      this.recovery = { after: pass.after, done: !pass.stopped };
    } catch (error) {
      if (signal?.aborted) return;
      this.log.warn(
        { err: error },
        "reading quarantined items again failed: it goes on after the next poll",
      );
    }
  }

  private async classifyAgain(signal?: AbortSignal): Promise<void> {
    try {
      const catalog = await this.catalogue.current(signal);
      await classifyAgainPass(
        {
          orgId: this.o.client.orgId,
          stores: this.o.stores,
          log: this.log,
          now: () => this.o.clock.now(),
          onQueued: this.o.onCommit,
        },
        catalog,
        signal,
      );
    } catch (error) {
      if (signal?.aborted) return;
      this.log.warn(
        { err: error },
        "classifying stored events again for an action newly listed as MCP failed: it goes on after the next poll",
      );
    }
  }
}
