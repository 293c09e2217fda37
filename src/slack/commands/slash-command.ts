import type { App, BlockAction, ButtonAction, RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import type { Clock } from "../../clock.js";
import type { Posture } from "../../detect/posture.js";
import type { StatusFigures } from "../../domain/status.js";
import type { Logger } from "../../logger.js";
import type { WatchedOrgs } from "../../organizations.js";
import { HELP_EXAMPLES } from "../../query/parse.js";
import { subcommandMeant } from "../../query/subcommand.js";
import type { Repositories } from "../../store/repositories.js";
import { sinceArrival } from "../arrival.js";
import { LIMITS } from "../blocks/limits.js";
import { errorReply, helpReply, noticeReply, QUERY_ACTIONS, type Reply } from "../blocks/query.js";
import { statusReply } from "../blocks/status.js";
import { verbatim } from "../blocks/verbatim.js";
import type { SlackDirectory } from "../directory.js";
import { slackDate } from "../escape.js";
import { SlackPausedError } from "../failure.js";
import type { Responders } from "../responders.js";
import { respondOrLog } from "../response-url.js";
import { queryAnswerer, whoAsks } from "./query-answer.js";
import { QuestionGate, type QuestionLimits, REFUSED } from "./question-gate.js";
import { settingsAnswerer } from "./settings-answer.js";

/**
 * An answer ready within this of the request's arrival goes back in the command's own HTTP
 * response (Slack waits 3 s for it and shows it at once) unless the acknowledgement would leave
 * after ACK_SAFE_MS (the listener reached late); a later one is posted to the command's response
 * URL.
 */
export const ANSWER_IN_ACK_MS = 2000;

/**
 * Past this since the request's arrival, an acknowledgement may reach Slack after its 3 s (Bolt's
 * own timer counts from when the body was read, which may be later): it goes out empty and the
 * answer goes to the response URL.
 */
export const ACK_SAFE_MS = 2500;

/** How long Slack waits for a request's acknowledgement, from its arrival. */
const SLACK_WAITS_MS = 3000;

/** The one command the app answers (manifest.yml's features.slash_commands). */
export const COMMAND = "/mcp-activity";

export interface CommandDeps {
  readonly stores: Pick<
    Repositories,
    "activity" | "guidanceFigures" | "suppressions" | "mutes" | "pollStates" | "prunedBefore"
  >;
  /** The app's Web API client: it honours the workspace's pauses. */
  readonly client: WebClient;
  /** Slack users' profiles, cached: who asks, and the e-mails of the people they mention. */
  readonly directory: Pick<SlackDirectory, "self" | "mentionedEmail">;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Every organization watched, for `org:`; queries cover the first when they name none. */
  readonly orgs: WatchedOrgs;
  readonly responders: Responders;
  readonly status: () => StatusFigures;
  /** Rows an export holds at most (EXPORT_MAX_ROWS unless told). */
  readonly maxExportRows?: number;
  /** The posture the rules file declares, shown beside what the log shows (none: empty). */
  readonly posture?: Posture;
  /** Told how long each answer took (for metrics). */
  readonly onAnswered?: (kind: "command" | "button", seconds: number) => void;
  /** How many questions run at once, and wait (QUESTION_LIMITS unless told). */
  readonly questionLimits?: QuestionLimits;
}

/**
 * The value of the Show-more and Export buttons: the query's canonical text, where to go on, and
 * (from version 2) the organization its answer was about and named when the query names none.
 */
const buttonValue = z.strictObject({
  v: z.union([z.literal(1), z.literal(2)]),
  // Any query whose button was built: the value as a whole is within Slack's limit.
  q: z.string().max(LIMITS.buttonValue),
  b: z
    .strictObject({ time: z.number().int().nonnegative(), seq: z.number().int().positive() })
    .optional(),
  // When the answer was made: `since:2h` or `since:today` mean what they meant then.
  n: z.number().int().nonnegative().optional(),
  o: z.string().min(1).max(LIMITS.buttonValue).optional(),
});

/** A reply as sent: outside text in it is never turned into a link or a mention. */
const shown = (reply: Reply): Reply => ({ text: reply.text, blocks: verbatim(reply.blocks) });

/** The answer if it settles within `ms`, else undefined (the answer goes on). */
async function within<T>(answer: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What to say when answering failed: a pause Slack asked for, or a failure logged for the operator. */
function failedReply(error: unknown, logIt: () => void): Reply {
  if (error instanceof SlackPausedError)
    return noticeReply(
      `Slack asked this app to slow down until ${slackDate(error.until, "{time}")}; ask again then.`,
    );
  logIt();
  return noticeReply(
    "Something went wrong answering that; the operator can find the details in the log.",
  );
}

/**
 * The `/mcp-activity` command and its buttons. Replies are ephemeral: a command's goes in its
 * acknowledgement when ready within ANSWER_IN_ACK_MS, else (and a button's always) after it.
 */
export function registerCommand(app: App, deps: CommandDeps): void {
  const log = deps.logger.child({ component: "command" });
  const { orgs } = deps;
  const { activity: store, suppressions } = deps.stores;
  const { responders, clock, posture, maxExportRows } = deps;
  const backfilling = (orgId: string) => deps.stores.pollStates.backfilling(orgId);
  const { directory } = deps;
  const prunedBefore = (orgId: string, since: number) =>
    deps.stores.prunedBefore.within(orgId, since);
  const activity = queryAnswerer({
    store,
    clock,
    orgs,
    responders,
    directory,
    maxExportRows,
    backfilling,
    prunedBefore,
  });
  const settings = settingsAnswerer({
    figures: deps.stores.guidanceFigures,
    suppressions,
    mutes: deps.stores.mutes,
    clock,
    orgs,
    responders,
    posture,
    backfilling,
    prunedBefore,
  });

  const gate = new QuestionGate(deps.questionLimits);
  /** A question's answer in its turn: one per person at a time, a few for everyone (QuestionGate). */
  const inTurn = (userId: string, ask: () => Promise<Reply>) =>
    gate.run(userId, ask, (why) => noticeReply(REFUSED[why]));

  async function answer(client: WebClient, userId: string, rawText: string): Promise<Reply> {
    const text = rawText.trim();
    const [first = "", ...rest] = text.split(/\s+/);
    const word = first.toLowerCase();
    if (text === "" || word === "help") return helpReply(HELP_EXAMPLES);
    if (word === "status") {
      if (rest.length > 0)
        return errorReply({
          message: "status takes nothing after it",
          suggestion: "ask status alone for the bot's health, or status:open for the open alerts",
          examples: ["status", "status:open since:7d"],
        });
      const check = await responders.check(userId);
      return check.ok ? statusReply(deps.status()) : noticeReply(check.message);
    }
    if (word === "settings") return inTurn(userId, () => settings(rest.join(" "), userId));
    const meant = subcommandMeant(text);
    if (meant)
      return errorReply({
        message: `"${first}" is no command`,
        suggestion: `did you mean /mcp-activity ${meant}? (To search for the word, put it in quotes.)`,
        examples: [meant, "user:me since:7d"],
      });
    return inTurn(userId, async () =>
      activity(client, await whoAsks(directory, userId, responders), text),
    );
  }

  const { client } = deps;

  /** The reply to a command, whatever happens on the way (a failure is logged and explained). */
  async function commandReply(userId: string, text: string): Promise<Reply> {
    const started = clock.now();
    let reply: Reply;
    try {
      reply = await answer(client, userId, text);
    } catch (error) {
      reply = failedReply(error, () => log.error({ err: error, user: userId }, "a query failed"));
    }
    const ms = clock.now() - started;
    deps.onAnswered?.("command", ms / 1000);
    log.info({ user: userId, query: text.slice(0, 300), ms }, "query");
    return shown(reply);
  }

  /** Answers on the response URL; a reply lost there is logged (see respondOrLog). */
  const tell = (respond: RespondFn, reply: Reply, user: string, asked: string) =>
    respondOrLog(
      respond,
      { response_type: "ephemeral", replace_original: false, ...reply },
      { user, asked: asked.slice(0, 100) },
      { clock, log },
    );

  /** Said of a command acknowledged too late to carry its answer; `refused`: Bolt had sent a 404. */
  const saidLate = (user: string, waitedMs: number, refused?: { code: unknown }) =>
    log.warn(
      { user, waitedMs, code: refused?.code },
      refused || waitedMs > SLACK_WAITS_MS
        ? "a command reached its listener after Slack's 3 s to acknowledge it (this machine, a slow link, or Slack's Web API asked who the bot is, was slow): Slack showed the person a failure, and the answer is posted to the command's response URL"
        : "a command came too near Slack's 3 s to be acknowledged with its answer (this machine, a slow link, or Slack's Web API asked who the bot is, was slow): it was acknowledged empty, and the answer is posted to the command's response URL",
    );

  /**
   * Acknowledges; false when Bolt's 3 s had passed (the request was answered 404 meanwhile and
   * Slack showed the person a failure): said, and the answer goes to the response URL instead.
   */
  const acked = async (send: () => Promise<void>, user: string, waitedMs: number) => {
    try {
      await send();
      return true;
    } catch (error) {
      saidLate(user, waitedMs, { code: (error as { code?: unknown } | null)?.code });
      return false;
    }
  };

  app.command(COMMAND, async ({ command, ack, respond, context }) => {
    const user = command.user_id;
    const asked = command.text ?? "";
    // Slack's 3 s count from the request's arrival, not from this listener's start.
    const reply = commandReply(user, asked);
    const ready = await within(reply, Math.max(0, ANSWER_IN_ACK_MS - sinceArrival(context)));
    // Read again: Bolt takes an acknowledgement until 3 s after the body was read, which may be
    // well after Slack's 3 s (a body slow to come): one sent past ACK_SAFE_MS carries no answer.
    const waited = sinceArrival(context);
    if (ready && waited <= ACK_SAFE_MS) {
      if (await acked(() => ack({ response_type: "ephemeral", ...ready }), user, waited)) return;
    } else if ((await acked(() => ack(), user, waited)) && waited > ACK_SAFE_MS) {
      saidLate(user, waited);
    }
    await tell(respond, ready ?? (await reply), user, asked);
  });

  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^(${QUERY_ACTIONS.more}|${QUERY_ACTIONS.export})$`),
    async ({ ack, body, action, respond }) => {
      await ack();
      const started = clock.now();
      const user = body.user.id;
      let value: z.infer<typeof buttonValue> | undefined;
      try {
        const parsed = buttonValue.safeParse(JSON.parse(action.value ?? ""));
        value = parsed.success ? parsed.data : undefined;
      } catch {
        value = undefined;
      }
      if (!value) {
        log.warn({ user }, "a query button with a value that does not parse");
        await tell(
          respond,
          noticeReply("That button has expired; ask again."),
          user,
          action.action_id,
        );
        return;
      }
      let reply: Reply;
      try {
        reply = await inTurn(user, async () =>
          activity(client, await whoAsks(directory, user, responders), value.q, {
            before: value.b,
            exportCsv: action.action_id === QUERY_ACTIONS.export,
            asOf: value.n,
            version: value.v,
            orgId: value.o,
          }),
        );
      } catch (error) {
        reply = failedReply(error, () => log.error({ err: error, user }, "a query button failed"));
      }
      const ms = clock.now() - started;
      deps.onAnswered?.("button", ms / 1000);
      log.info({ user, query: value.q.slice(0, 300), action: action.action_id, ms }, "query");
      await tell(respond, shown(reply), user, action.action_id);
    },
  );
}
