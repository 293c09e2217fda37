import type { Clock } from "../../clock.js";
import type { Logger } from "../../logger.js";
import { storeProblem } from "../../store/errors.js";
import { API_URL_NOT_FOUND, type SlackFailure } from "../failure.js";
import { type PostKind, TOKEN_REFUSED } from "../setup-codes.js";
import { claimEnds, type DeliveryError, INTERNAL, PassFailure } from "./pass-failure.js";
import type { Target } from "./target.js";

export interface PosterHealth {
  /**
   * The last failure: a lock's or a bug's until a pass of the outbox claims (even nothing: a claim
   * takes the write lock) without meeting one again; behind it, the database's other failure (a
   * full disk, an I/O error) until a pass saves a change without meeting one again (a claim writes
   * no page, which a full disk still allows); Slack's
   * until a message gets through (to its channel, and of the kind of post it refuses, for a
   * channel's problem; by its method, in the same kind of conversation, for a
   * method's); `advice` is set for setup problems.
   */
  readonly lastError: DeliveryError | null;
  /**
   * Since when every call has failed without an answer (an outage, a cut connection, a DNS or
   * firewall problem), until one is answered; null when Slack (or a gateway, a proxy) answers, if
   * only with an error (a 503), to refuse or to ask to wait (a rate limit).
   */
  readonly unansweredSince: number | null;
  /**
   * Since when every call has failed, answered with an error or not at all, until one gets
   * through or Slack refuses one or asks to wait (a rate limit); null then.
   */
  readonly failingSince: number | null;
}

/** How the alert channel is looked at before any message is due (alert-channel.ts). */
export const CHANNEL_LOOK_UP = "conversations.info";
/** How the token is checked, at start and while nothing is posted (token-check.ts). */
export const TOKEN_CHECK = "auth.test";

/**
 * What went wrong with delivery, said once per kind of trouble (each repeat at debug level) and
 * kept for /healthz: Slack's until a message gets through again, the database's until the outbox
 * works with it again.
 */
export class Trouble {
  private lastError: PosterHealth["lastError"] = null;
  /** A lock or a bug the outbox last met: a claim ends it. It stands before the two below. */
  private readonly claimFailure = new PassFailure();
  /** Any other failure of the database (a full disk, an I/O error): only a change saved ends it. */
  private readonly writeFailure = new PassFailure();
  /** The channel whose own problem the last failure is; null: any message getting through ends it. */
  private channel: string | null = null;
  /** The kind of post the channel's problem refuses, when it refuses one only. */
  private post: PostKind | null = null;
  /** The method whose own problem (a scope) the last failure is; null: not one method's. */
  private method: string | null = null;
  /**
   * Whether the method's problem was met in a direct message or a channel (Slack names another
   * scope for each); null: in no conversation.
   */
  private direct: boolean | null = null;
  private unansweredSince: number | null = null;
  private failingSince: number | null = null;
  /** The channel's problem was found by looking it up, not by a post (which only a post ends). */
  private lookedUp = false;
  private readonly reported = new Set<string>();

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
    /** Whether a message of that kind of post waits for the conversation (the outbox). */
    private readonly waiting: (conversation: string, post: PostKind) => boolean,
    /** A one-shot command's (digest --post): it says a setup problem itself, and fails what it queued. */
    private readonly oneShot = false,
  ) {}

  health(): PosterHealth {
    return {
      lastError: this.claimFailure.current ?? this.writeFailure.current ?? this.lastError,
      unansweredSince: this.unansweredSince,
      failingSince: this.failingSince,
    };
  }

  /**
   * A message got through to `target` by `methods`: the trouble is over, unless it is another
   * channel's own (a direct message posted does not mend the alert channel the bot is not in),
   * another kind of post's (a thread reply posted does not mend a channel that takes replies
   * only), or another method's (an alert posted does not bring back the scope direct messages
   * need).
   */
  over(target: Target, methods: readonly string[]): void {
    // Recorded: the database is written
    this.wrote();
    // Slack answers, whatever problem stands
    this.unansweredSince = null;
    this.failingSince = null;
    // An update (or a view) posts nothing: it never proves the channel takes posts.
    if (this.channel !== null && (this.channel !== target.destination || target.post === "update"))
      return;
    // A post of the other kind ends it only once none of the kind refused waits (the last one
    // dropped as stale, or failed): else /healthz would stay 503 after the channel is fixed.
    if (
      this.post !== null &&
      this.post !== target.post &&
      this.waiting(this.channel ?? "", this.post)
    )
      return;
    // A post taken proves the token.
    if (
      this.method !== null &&
      this.method !== TOKEN_CHECK &&
      !methods.some((m) => this.methodAnswered(m, target.direct))
    )
      return;
    this.end();
  }

  /**
   * Slack answered `method`, in a direct message or not, without a setup problem (it worked, or
   * refused the message itself): Slack checks a call's scopes first, so a scope it lacked is back.
   */
  answered(method: string, direct: boolean): void {
    this.unansweredSince = null;
    this.failingSince = null;
    // Slack checks the token before anything else: any call it answers proves it.
    if (this.method === TOKEN_CHECK || this.methodAnswered(method, direct)) this.end();
  }

  /** Whether `method` answering, in that kind of conversation, ends the method's problem. */
  private methodAnswered(method: string, direct: boolean): boolean {
    return this.method === method && (this.direct === null || this.direct === direct);
  }

  private end(): void {
    if (this.lastError)
      this.log.info({ previous: this.lastError.code }, "Slack delivery works again");
    this.lastError = null;
    this.channel = null;
    this.post = null;
    this.method = null;
    this.direct = null;
    this.unansweredSince = null;
    this.failingSince = null;
    this.lookedUp = false;
    this.reported.clear();
  }

  /** Whether the token is refused: a channel's problem may have been replaced by it. */
  tokenRefused(): boolean {
    return this.method === TOKEN_CHECK;
  }

  /** The channel whose own problem a look-up found and still stands, if one does. */
  lookedUpProblem(): string | null {
    return this.lookedUp ? this.channel : null;
  }

  /** A look-up found `channel` fit to post to: the problem a look-up found of it, if it stands, is over. */
  mended(channel: string): void {
    if (this.lookedUp && this.channel === channel) this.end();
  }

  /**
   * A Web API call failed; `waitSeconds`: how long its method is paused, if it is; `target`: the
   * message, when a message failed.
   */
  slack(
    failure: SlackFailure,
    method: string | undefined,
    waitSeconds: number,
    target?: Target,
  ): void {
    if (failure.kind === "paused") return;
    const now = this.clock.now();
    // A passing outage or rate limit does not mend a channel the bot is still not in, nor a
    // scope: the problem (and /healthz's 503, and the channel's look-up each minute) stands until
    // a setup problem replaces it or a message gets through to the channel, or by the method.
    if ((this.channel === null && this.method === null) || failure.kind === "setup") {
      this.lastError = { code: failure.code, advice: failure.advice ?? null, at: now };
      this.channel = failure.channelProblem ? (target?.destination ?? null) : null;
      this.post = this.channel === null ? null : (failure.refuses ?? null);
      // A token refused, by whatever call met it, is the token's problem, and a 404 for the token
      // check (SLACK_API_URL not the Web API's) is every call's: it ends when Slack answers any
      // call (the token check each TOKEN_CHECK_MS, a post), in any conversation. The workspace's
      // own problems the check meets (a migration, EKM) stay the token check's, looked at again
      // with it.
      const token =
        TOKEN_REFUSED.has(failure.code) ||
        (method === TOKEN_CHECK && failure.code === API_URL_NOT_FOUND);
      this.method = token ? TOKEN_CHECK : failure.methodProblem ? (method ?? null) : null;
      this.direct = this.method === null || token ? null : (target?.direct ?? null);
      this.lookedUp = method === CHANNEL_LOOK_UP && this.channel !== null;
    }
    const failing = failure.kind === "transient";
    this.failingSince = failing ? (this.failingSince ?? now) : null;
    // A gateway's 503 or a proxy's page is an answer: Slack, or what stands before it, is reached.
    this.unansweredSince = failing && failure.unreached ? (this.unansweredSince ?? now) : null;
    const line =
      failure.kind === "setup"
        ? `${TOKEN_REFUSED.has(failure.code) ? "Slack refused the bot token" : refusal(method)} (${failure.code}): ${failure.advice}. Messages stay queued.`
        : failure.kind === "rate-limited"
          ? `Slack rate-limited ${method ?? "a call"} for ${waitSeconds} s, for the whole workspace. Messages stay queued.`
          : `Slack delivery failed (${failure.code}); retrying with backoff. Messages stay queued.`;
    // A one-shot command says a setup problem itself: its messages do not stay queued.
    const level = failure.kind !== "setup" ? "warn" : this.oneShot ? "debug" : "error";
    this.once(failure.code, level, { method }, line);
  }

  /**
   * A database problem (disk full, locked) or a bug: nothing can be recorded, so nothing is sent.
   * A problem Slack's answers showed stands behind it, to be told once this one is over.
   */
  store(error: unknown): void {
    const problem = storeProblem(error);
    const code = problem?.code ?? INTERNAL;
    (claimEnds(code) ? this.claimFailure : this.writeFailure).met(code, this.clock.now());
    const line = problem
      ? `Slack messages cannot be delivered: ${problem.message}. They stay queued.`
      : "the outbox failed unexpectedly; messages stay queued";
    this.once(code, "error", problem ? {} : { err: error }, line);
  }

  /** A pass of the outbox begins: what fails from now on keeps the failure (see recovered). */
  begin(): void {
    this.claimFailure.begin();
    this.writeFailure.begin();
  }

  /**
   * The outbox claimed from the database, even nothing: a claim takes its write lock, so a lock
   * met before is over, and so is a bug's failure, unless one of them was met again this pass. A
   * full disk or a disk error is not: a claim of nothing writes no page, and only a change saved
   * (wrote) ends it. On a quiet organization no message may get through for hours, and a lock held
   * a moment must not keep /healthz 503 that long.
   */
  claimed(): void {
    this.recovered(this.claimFailure);
  }

  /** The outbox saved a change (a delivery, a retry, an item ended): the database takes writes. */
  wrote(): void {
    this.recovered(this.writeFailure);
    this.recovered(this.claimFailure);
  }

  /** What `failure` kept is over, unless one of its kind was met again this pass. */
  private recovered(failure: PassFailure): void {
    const code = failure.end();
    if (code === null) return;
    this.reported.delete(code);
    const standing = this.writeFailure.current?.code;
    if (standing !== undefined) {
      this.log.info(
        { previous: code, standing },
        "the outbox claims again; the database still saves no change",
      );
      return;
    }
    const line =
      code === INTERNAL
        ? "the outbox runs again without failing"
        : "the outbox reads and writes the database again";
    this.log.info({ previous: code }, line);
  }

  private once(
    code: string,
    level: "debug" | "warn" | "error",
    fields: Record<string, unknown>,
    line: string,
  ): void {
    if (this.reported.has(code)) {
      this.log.debug({ code, ...fields }, line);
      return;
    }
    this.reported.add(code);
    this.log[level]({ code, ...fields }, line);
  }
}

/** How a message whose post may have got through is looked for before it is sent again. */
const MESSAGE_LOOK_UPS: ReadonlySet<string> = new Set([
  "conversations.history",
  "conversations.replies",
]);

/** What a setup problem stops, by the call that met it. */
function refusal(method: string | undefined): string {
  if (method === TOKEN_CHECK) return "The bot cannot call Slack's Web API";
  if (method === CHANNEL_LOOK_UP) return "The alert channel cannot be posted to";
  if (method !== undefined && MESSAGE_LOOK_UPS.has(method))
    return "Slack refused to look for a message whose post may have got through";
  return "Slack refused to post";
}
