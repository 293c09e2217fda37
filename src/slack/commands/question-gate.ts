import { AsyncLocalStorage } from "node:async_hooks";

/**
 * How many questions (activity queries, `settings`, Show more, Export CSV) the bot answers at
 * once: `running` for everyone, the next `waiting` wait their turn, any more are refused. Each
 * running question takes a share of every turn of the event loop, so a flood of them would hold
 * up alerts, /healthz and Slack's own requests.
 */
export interface QuestionLimits {
  readonly running: number;
  readonly waiting: number;
}

export const QUESTION_LIMITS: QuestionLimits = { running: 2, waiting: 10 };

/** Why a question is not taken: its asker's previous one is unanswered, or too many wait. */
export type Refusal = "asking" | "busy";

/** What the asker is told when their question is not taken. */
export const REFUSED: Readonly<Record<Refusal, string>> = {
  asking:
    "Your last question is still being answered (an export arrives by direct message): ask again once it is.",
  busy: "I am answering many questions right now: ask again in a minute.",
};

/** The running question's way to give its place up early (see leaveTurn). */
const turns = new AsyncLocalStorage<() => void>();

/**
 * Gives the running question's place to the next waiting, before work of it that takes no
 * event-loop time (an export's upload, up to minutes): its asker still may not ask again until it
 * ends. Nothing outside a question.
 */
export function leaveTurn(): void {
  turns.getStore()?.();
}

/** One question in flight per person, and at most `limits.running` for everyone (the rest queue). */
export class QuestionGate {
  private readonly asking = new Set<string>();
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly limits: QuestionLimits = QUESTION_LIMITS) {}

  /** `answer`'s result once its turn came, or `refused`'s when the question is not taken. */
  async run<T>(user: string, answer: () => Promise<T>, refused: (why: Refusal) => T): Promise<T> {
    if (this.asking.has(user)) return refused("asking");
    if (this.running >= this.limits.running && this.queue.length >= this.limits.waiting)
      return refused("busy");
    this.asking.add(user);
    try {
      await this.turn();
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        this.done();
      };
      try {
        return await turns.run(leave, answer);
      } finally {
        leave();
      }
    } finally {
      this.asking.delete(user);
    }
  }

  private turn(): Promise<void> {
    if (this.running < this.limits.running) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  /** A question ended: its place goes to the first waiting, if any. */
  private done(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }
}
