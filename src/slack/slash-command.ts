import { join } from "node:path";
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import type { Clock } from "../clock.js";
import type { Posture } from "../detect/posture.js";
import type { PageCursor } from "../domain/activity.js";
import type { StatusFigures } from "../domain/status.js";
import { postureReport } from "../guidance/posture.js";
import { guidance, TOPICS, type Topic } from "../guidance/settings.js";
import type { Logger } from "../logger.js";
import { nearest } from "../nearest.js";
import { WatchedOrgs } from "../organizations.js";
import { describeQuery, HELP_EXAMPLES, parseQuery, type Query } from "../query/parse.js";
import { type Asker, resolvePeople, runActivity, toFilter } from "../query/run.js";
import type { Repositories } from "../store/repositories.js";
import { DAY } from "../time-units.js";
import {
  activityReply,
  errorReply,
  helpReply,
  noticeReply,
  QUERY_ACTIONS,
  type Reply,
  settingsReply,
  statusReply,
} from "./blocks/query.js";
import { suppressionBlocks } from "./blocks/suppressions.js";
import { verbatim } from "./blocks/verbatim.js";
import { mrkdwn, slackDate } from "./escape.js";
import { sendFile, withExportFolder, writeCsv } from "./export.js";
import { SlackPausedError } from "./failure.js";
import type { Responders } from "./responders.js";

const GUIDANCE_DAYS = 7;
/**
 * An answer ready within this goes back in the command's own HTTP response (Slack waits 3 s for
 * it and shows it at once); a later one is posted to the command's response URL.
 */
export const ANSWER_IN_ACK_MS = 2000;

export interface CommandDeps {
  readonly stores: Pick<Repositories, "activity" | "suppressions">;
  /** The app's Web API client: it honours the workspace's pauses. */
  readonly client: WebClient;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The organization queries cover when they name none (the first watched). */
  readonly orgId: string;
  /** Every organization watched, for `org:`; just `orgId` when not given. */
  readonly orgs?: WatchedOrgs;
  readonly responders: Responders;
  readonly status: () => StatusFigures;
  /** Rows an export holds at most (EXPORT_MAX_ROWS unless told). */
  readonly maxExportRows?: number;
  /** The posture the rules file declares, shown beside what the log shows (none: empty). */
  readonly posture?: Posture;
  /** Told how long each answer took (for metrics). */
  readonly onAnswered?: (kind: "command" | "button", seconds: number) => void;
}

/** The value of the Show-more and Export buttons: the query's canonical text and where to go on. */
const buttonValue = z.strictObject({
  v: z.literal(1),
  q: z.string().max(1500),
  b: z
    .strictObject({ time: z.number().int().nonnegative(), seq: z.number().int().positive() })
    .optional(),
});

interface Person {
  readonly asker: Asker;
  readonly timeZone: string;
}

async function whoAsks(client: WebClient, userId: string, responders: Responders): Promise<Person> {
  const [info, responder] = await Promise.all([
    client.users.info({ user: userId }).catch(() => undefined),
    responders.includes(userId),
  ]);
  return {
    asker: {
      slackUserId: userId,
      email: info?.user?.profile?.email?.toLowerCase() ?? null,
      responder,
    },
    timeZone: info?.user?.tz ?? "UTC",
  };
}

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
  const { activity: store, suppressions } = deps.stores;
  const log = deps.logger.child({ component: "command" });
  /** People whose export is being prepared: one at a time each. */
  const exporting = new Set<string>();
  const orgs = deps.orgs ?? new WatchedOrgs([deps.orgId]);

  /**
   * The organization a query asks about, and how its reply names it. Only responders read the
   * list of the organizations watched.
   */
  function organizationOf(
    query: Query,
    responder: boolean,
  ): { orgId: string; heading: string } | Reply {
    const named = orgs.several && responder;
    if (query.org === undefined) {
      const orgId = orgs.first;
      const heading = named
        ? `MCP activity in ${orgs.name(orgId)} (the first of ${orgs.ids.length} organizations; add org: for another)`
        : "MCP activity";
      return { orgId, heading };
    }
    const orgId = orgs.find(query.org);
    if (orgId === undefined) {
      return errorReply({
        message: `no watched organization is called "${query.org.slice(0, 80)}"`,
        suggestion: responder
          ? `give the id or the name of one of: ${orgs.describe()}`
          : "leave org: out, or ask a responder for the organization's name",
        examples: responder
          ? [`org:${orgs.first} since:7d`, `org:${orgs.first} status:open`]
          : ["user:me since:7d"],
      });
    }
    return { orgId, heading: named ? `MCP activity in ${orgs.name(orgId)}` : "MCP activity" };
  }

  const emailOf = (client: WebClient) => async (id: string) =>
    (
      await client.users.info({ user: id }).catch(() => undefined)
    )?.user?.profile?.email?.toLowerCase() ?? null;

  /** Parses, checks who may ask, runs; the reply, or a file export when asked for CSV. */
  async function activity(
    client: WebClient,
    person: Person,
    text: string,
    before?: PageCursor,
    exportCsv = false,
  ): Promise<Reply> {
    const parsed = parseQuery(text, { now: deps.clock.now(), timeZone: person.timeZone });
    if (!parsed.ok) return errorReply(parsed.error);
    const query = parsed.query;
    const org = organizationOf(query, person.asker.responder);
    if (!("orgId" in org)) return org;
    const resolved = await resolvePeople(query.users, person.asker, emailOf(client));
    if (!resolved.ok) {
      return noticeReply(
        resolved.reason === "only-self"
          ? `You can ask about your own activity: \`/mcp-activity user:me since:7d\`. To see other people's, ask ${deps.responders.describe()}.`
          : resolved.reason,
      );
    }
    const filter = toFilter(query, store, resolved.people, org.orgId, resolved.emailOnly);
    if (exportCsv || query.format === "csv") return exportTo(client, person, query, filter);
    const canonical = describeQuery(query);
    const value = (b?: PageCursor) => {
      const json = JSON.stringify({ v: 1, q: canonical, ...(b ? { b } : {}) });
      return json.length <= 2000 ? json : undefined;
    };
    return activityReply(
      `${org.heading} · ${canonical}`,
      runActivity(store, filter, query.limit, before),
      { more: value, export: value() },
    );
  }

  async function exportTo(
    client: WebClient,
    person: Person,
    query: Query,
    filter: ReturnType<typeof toFilter>,
  ): Promise<Reply> {
    const userId = person.asker.slackUserId;
    if (!userId)
      return noticeReply("I cannot tell who asked, so there is nobody to send the file to.");
    if (exporting.has(userId))
      return noticeReply(
        "Your previous export is still being prepared; it arrives by direct message.",
      );
    exporting.add(userId);
    try {
      const name = `mcp-activity-${new Date(deps.clock.now()).toISOString().slice(0, 10)}.csv`;
      const result = await withExportFolder(async (dir) => {
        const path = join(dir, name);
        const written = await writeCsv(store, filter, path, deps.maxExportRows);
        await sendFile(client, {
          user: userId,
          path,
          filename: name,
          comment: `MCP activity: ${mrkdwn(describeQuery(query), 1000)}`,
        });
        return written;
      });
      const cut = result.capped
        ? ` It stops at ${result.rows} rows: narrow the query for the rest.`
        : "";
      return noticeReply(
        `The CSV (${result.rows} rows, ${result.bytes} bytes) is in your direct messages with me.${cut}`,
      );
    } finally {
      exporting.delete(userId);
    }
  }

  /** `/mcp-activity settings`: the admin settings to change, and for responders the suppressions they added. */
  async function settings(topicText: string, userId: string): Promise<Reply> {
    const reply = guidanceReply(topicText);
    if (topicText.trim() !== "" || !(await deps.responders.check(userId)).ok) return reply;
    const added = orgs.ids.flatMap((orgId) => suppressions.list(orgId));
    return { text: reply.text, blocks: [...reply.blocks, ...suppressionBlocks(added)] };
  }

  function guidanceReply(topicText: string): Reply {
    const topic = topicText.trim().toLowerCase();
    if (topic !== "" && !(TOPICS as readonly string[]).includes(topic)) {
      const guess = nearest(topic, TOPICS);
      return errorReply({
        message: `unknown settings topic "${topic.slice(0, 40)}"`,
        suggestion: guess ? `did you mean ${guess}?` : `topics: ${TOPICS.join(", ")}`,
        examples: ["settings", "settings api-tokens"],
      });
    }
    const until = deps.clock.now();
    const since = until - GUIDANCE_DAYS * DAY;
    const stats = store.guidanceStats(deps.orgId, since, until);
    const posture =
      topic === ""
        ? postureReport(deps.posture ?? {}, store.observedUse(deps.orgId, since, until))
        : undefined;
    return settingsReply(
      guidance((topic || undefined) as Topic | undefined, stats, GUIDANCE_DAYS),
      deps.orgId,
      GUIDANCE_DAYS,
      posture,
    );
  }

  async function answer(client: WebClient, userId: string, rawText: string): Promise<Reply> {
    const text = rawText.trim();
    const [first = "", ...rest] = text.split(/\s+/);
    const word = first.toLowerCase();
    if (text === "" || word === "help") return helpReply(HELP_EXAMPLES);
    if (word === "status" && rest.length === 0) {
      const check = await deps.responders.check(userId);
      return check.ok ? statusReply(deps.status()) : noticeReply(check.message);
    }
    if (word === "settings") return settings(rest.join(" "), userId);
    const person = await whoAsks(client, userId, deps.responders);
    return activity(client, person, text);
  }

  const { client } = deps;

  /** The reply to a command, whatever happens on the way (a failure is logged and explained). */
  async function commandReply(userId: string, text: string): Promise<Reply> {
    const started = deps.clock.now();
    let reply: Reply;
    try {
      reply = await answer(client, userId, text);
    } catch (error) {
      reply = failedReply(error, () => log.error({ err: error, user: userId }, "a query failed"));
    }
    const ms = deps.clock.now() - started;
    deps.onAnswered?.("command", ms / 1000);
    log.info({ user: userId, query: text.slice(0, 300), ms }, "query");
    return shown(reply);
  }

  app.command("/mcp-activity", async ({ command, ack, respond }) => {
    const reply = commandReply(command.user_id, command.text ?? "");
    const ready = await within(reply, ANSWER_IN_ACK_MS);
    if (ready) return ack({ response_type: "ephemeral", ...ready });
    await ack();
    await respond({ response_type: "ephemeral", replace_original: false, ...(await reply) });
  });

  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^(${QUERY_ACTIONS.more}|${QUERY_ACTIONS.export})$`),
    async ({ ack, body, action, respond }) => {
      await ack();
      const started = deps.clock.now();
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
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          ...noticeReply("That button has expired; ask again."),
        });
        return;
      }
      let reply: Reply;
      try {
        const person = await whoAsks(client, user, deps.responders);
        reply = await activity(
          client,
          person,
          value.q,
          value.b,
          action.action_id === QUERY_ACTIONS.export,
        );
      } catch (error) {
        reply = failedReply(error, () => log.error({ err: error, user }, "a query button failed"));
      }
      const ms = deps.clock.now() - started;
      deps.onAnswered?.("button", ms / 1000);
      log.info({ user, query: value.q.slice(0, 300), action: action.action_id, ms }, "query");
      await respond({ response_type: "ephemeral", replace_original: false, ...shown(reply) });
    },
  );
}
