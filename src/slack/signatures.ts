import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { HOUR, isoOrNull } from "../time-units.js";
import { DATED_AHEAD } from "./future-dated.js";

/**
 * Why a request was refused, as the operator can act on it: another secret than the app's, this
 * host's clock (a timestamp more than 5 minutes off, either way, on a request signed with the
 * app's secret), no signature at all (or a timestamp not in Slack's plain digits), a body not
 * read whole (its sender hung up), or one over Bolt's 4 MB.
 */
export type Refusal = "signature" | "stale" | "unsigned" | "malformed" | "tooLarge";

/** What is said and tallied: a refusal, `ahead` apart from `stale` (it is counted with it). */
type Said = Refusal | "ahead";

/** How the requests at /slack/events (HTTP mode) pass their signature check, for /healthz. */
export interface SignatureState {
  /** Requests refused since the start, for any reason. */
  readonly refused: number;
  readonly refusedFor: Readonly<Record<Refusal, number>>;
  /** Of the `stale` ones, those dated ahead of this host's clock: the clock is behind Slack's. */
  readonly clockBehind: number;
  readonly firstRefusedAt: number | null;
  readonly lastVerifiedAt: number | null;
}

/**
 * Bolt's reason: "signature mismatch", "… request is stale", "header … did not have …", or for a
 * body it did not read, its whole line ("Failed to parse … request aborted", "Request body
 * exceeded …"). Bolt looks at the age before the signature: an old request not signed with the
 * app's secret (a forgery, a scanner) is no sign of the clock; one that is (the clock, or an old
 * request of Slack's sent again) is.
 */
function refusalOf(reason: string, signedRight: boolean): Refusal {
  if (reason.startsWith("Request body exceeded")) return "tooLarge";
  if (reason.startsWith("Failed to parse")) return "malformed";
  if (reason.includes("stale")) return signedRight ? "stale" : "signature";
  if (reason.startsWith("header ")) return "unsigned";
  return "signature";
}

const SAID: Readonly<Record<Said, { level: "warn" | "info"; line: (since: string) => string }>> = {
  signature: {
    level: "warn",
    line: (since) =>
      `requests at /slack/events fail their signature check (${since}): if Slack shows dispatch_failed, SLACK_SIGNING_SECRET is not the app's Signing Secret (Basic Information → App Credentials)`,
  },
  // Signed with the right secret: copying it again would not help.
  stale: {
    level: "warn",
    line: (since) =>
      `requests at /slack/events refused as stale (${since}): this host's clock is more than 5 minutes off Slack's (check NTP), or old requests of Slack's were sent again`,
  },
  ahead: {
    level: "warn",
    line: (since) =>
      `requests at /slack/events refused as stale (${since}): dated more than 5 minutes ahead of this host's clock, which is behind Slack's (check NTP)`,
  },
  // Anyone who reaches the port may send them; a proxy that drops Slack's headers would too.
  unsigned: {
    level: "info",
    line: (since) =>
      `unsigned requests at /slack/events refused (${since}): Slack signs its own (X-Slack-Signature)`,
  },
  // Anyone may hang up early, as may a proxy that cuts bodies short.
  malformed: {
    level: "info",
    line: (since) =>
      `requests at /slack/events refused unread (${since}): the sender hung up before the body was whole, or sent one that could not be read; Slack sends whole bodies`,
  },
  tooLarge: {
    level: "info",
    line: (since) =>
      `requests at /slack/events refused for a body over 4 MB (${since}): Slack's are far smaller`,
  },
};

interface Tally {
  count: number;
  first: number;
  saidAt: number;
}

/**
 * The requests Bolt refuses for their signature, or for a body it did not read. Slack signs with
 * the app's Signing Secret: a SLACK_SIGNING_SECRET that is another value (the Client Secret or the
 * Verification Token beside it on the same page) refuses every command and click, while Slack
 * shows only dispatch_failed. Each reason is said once, then at most hourly with its count:
 * anyone who reaches the port may send unsigned requests or hang up early, so they never make
 * /healthz 503 nor fill the log.
 */
export class SignatureChecks {
  private readonly tallies = new Map<Said, Tally>();
  private firstRefusedAt: number | null = null;
  private lastVerifiedAt: number | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * `reason`: Bolt's words for why it refused the request; `signedRight`: whether the request
   * carries the signature of SLACK_SIGNING_SECRET all the same (see signed-with.ts).
   */
  refused(reason: string, signedRight = false): void {
    const now = this.clock.now();
    const refusal = refusalOf(reason, signedRight);
    const why: Said = refusal === "stale" && reason === DATED_AHEAD ? "ahead" : refusal;
    const tally = this.tallies.get(why) ?? {
      count: 0,
      first: now,
      saidAt: Number.NEGATIVE_INFINITY,
    };
    this.tallies.set(why, tally);
    tally.count++;
    this.firstRefusedAt ??= now;
    if (now - tally.saidAt < HOUR) return;
    tally.saidAt = now;
    const { level, line } = SAID[why];
    this.logger[level](
      { refused: tally.count, reason: why },
      line(`${tally.count} since ${isoOrNull(tally.first)}`),
    );
  }

  verified(): void {
    this.lastVerifiedAt = this.clock.now();
  }

  state(): SignatureState {
    const count = (why: Said) => this.tallies.get(why)?.count ?? 0;
    const clockBehind = count("ahead");
    const refusedFor: Record<Refusal, number> = {
      signature: count("signature"),
      stale: count("stale") + clockBehind,
      unsigned: count("unsigned"),
      malformed: count("malformed"),
      tooLarge: count("tooLarge"),
    };
    const refused = Object.values(refusedFor).reduce((sum, n) => sum + n, 0);
    const { firstRefusedAt, lastVerifiedAt } = this;
    return { refused, refusedFor, clockBehind, firstRefusedAt, lastVerifiedAt };
  }
}
