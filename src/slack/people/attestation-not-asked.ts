import type { Unreachable } from "../directory.js";

/** Why a person of the week is not asked: Slack's answer, or their address is another's now. */
export type NotAskedWhy = Unreachable | "handed-over";

/** Each reason's field in the run's log line and its words. */
const SAID: Record<NotAskedWhy, readonly [field: string, words: string]> = {
  absent: ["notInSlack", "not found in Slack"],
  deactivated: ["deactivated", "with a deactivated Slack account"],
  bot: ["bots", "whose address is a Slack bot's"],
  "another-workspace": ["otherWorkspace", "whose address is another Slack workspace's user's"],
  unconfirmed: ["unconfirmed", "whose Slack address is unconfirmed"],
  "handed-over": ["handedOver", "not asked: their address now is another account's"],
};

/** The people one run of the weekly check did not ask, counted apart by why. */
export class NotAsked {
  private readonly counts = new Map<NotAskedWhy, number>();

  add(why: NotAskedWhy): void {
    this.counts.set(why, (this.counts.get(why) ?? 0) + 1);
  }

  /** The counts as log fields: `notInSlack` and `deactivated` always, the others when any. */
  facts(): Record<string, number> {
    const facts: Record<string, number> = { notInSlack: 0, deactivated: 0 };
    for (const [why, n] of this.counts) facts[SAID[why][0]] = n;
    return facts;
  }

  /** What the run's log line adds: `; 2 person(s) not found in Slack; …`, in a fixed order. */
  said(): string {
    return (Object.keys(SAID) as NotAskedWhy[])
      .filter((why) => (this.counts.get(why) ?? 0) > 0)
      .map((why) => `; ${this.counts.get(why)} person(s) ${SAID[why][1]}`)
      .join("");
  }
}
