import type { Clock } from "../../clock.js";
import type { Posture } from "../../detect/posture.js";
import { postureReport } from "../../guidance/posture.js";
import { guidance, TOPICS, type Topic } from "../../guidance/settings.js";
import { nearest } from "../../nearest.js";
import type { WatchedOrgs } from "../../organizations.js";
import type { Repositories } from "../../store/repositories.js";
import { DAY } from "../../time-units.js";
import { nextTurn } from "../../wait.js";
import { muteBlocks } from "../blocks/mutes.js";
import { context, errorReply, type Reply, section } from "../blocks/query.js";
import { settingsReply } from "../blocks/settings.js";
import { suppressionBlocks } from "../blocks/suppressions.js";
import { slackDate, truncate } from "../escape.js";
import type { Responders } from "../responders.js";
import { orgNotFound } from "./org-not-found.js";

const GUIDANCE_DAYS = 7;

/**
 * How long an organization's figures are shown again rather than read again: reading a week of a
 * large organization's calls takes ~0.1 s, a statement a turn of the event loop.
 */
export const FIGURES_KEPT_MS = 60_000;

type Figures = Repositories["guidanceFigures"];

/** An organization's figures of the GUIDANCE_DAYS up to `at`; the posture's read when first asked. */
interface KeptFigures {
  readonly at: number;
  /** Kept while being read, so that a question asked meanwhile waits for the same figures. */
  readonly stats: ReturnType<Figures["guidanceStats"]>;
  observed?: Promise<ReturnType<Figures["observedUse"]>>;
}

export interface SettingsDeps {
  readonly figures: Repositories["guidanceFigures"];
  readonly suppressions: Repositories["suppressions"];
  readonly mutes: Repositories["mutes"];
  readonly clock: Clock;
  /** Every organization watched: the figures are of the one `org:` names, else the first. */
  readonly orgs: WatchedOrgs;
  readonly responders: Responders;
  /** The posture the rules file declares, shown beside what the log shows (none: empty). */
  readonly posture?: Posture | undefined;
  /** Whether the organization's first poll is still reading its history (no figure is whole yet). */
  readonly backfilling?: (orgId: string) => boolean;
  /** The time before which retention deleted the organization's events, if `since` is before it. */
  readonly prunedBefore?: (orgId: string, since: number) => number | undefined;
}

/** An `org:` term of the text (`org:acme`, `org:"Acme Prod"`), and the text without it. */
function orgTerm(text: string): { org: string | undefined; rest: string } {
  // Straight quotes, or Slack's curly ones, as the query language takes them.
  const found =
    /(?:^|\s)org:(["\u201c\u201d\u201e][^"\u201c\u201d\u201e]*["\u201c\u201d\u201e]|\S*)/i.exec(
      text,
    );
  if (!found) return { org: undefined, rest: text };
  const org = (found[1] ?? "").replace(/^["\u201c\u201d\u201e]|["\u201c\u201d\u201e]$/g, "");
  return {
    org,
    rest: `${text.slice(0, found.index)} ${text.slice(found.index + found[0].length)}`,
  };
}

/**
 * `/mcp-activity settings [topic] [org:…]`: the Atlassian admin settings to change. Responders
 * also see why each matters here now, from the figures of one organization (`org:`, else the
 * first; named when several are watched) and, without a topic, the declared posture against what
 * the log shows, the suppressions they added and the mutes running; anyone else sees no figure of the organization.
 * The figures say when they are not whole: the first poll still reading the history, or days
 * of the period deleted by retention.
 */
export function settingsAnswerer(deps: SettingsDeps) {
  const { orgs } = deps;
  const kept = new Map<string, KeptFigures>();

  /**
   * The organization's figures, read at most once per FIGURES_KEPT_MS (and when the clock went
   * back); a read that fails is not kept.
   */
  function figuresOf(orgId: string): KeptFigures {
    const now = deps.clock.now();
    const last = kept.get(orgId);
    if (last && now >= last.at && now - last.at < FIGURES_KEPT_MS) return last;
    const read: KeptFigures = {
      at: now,
      stats: deps.figures.guidanceStats(orgId, now - GUIDANCE_DAYS * DAY, now),
    };
    kept.set(orgId, read);
    read.stats.catch(() => {
      if (kept.get(orgId) === read) kept.delete(orgId);
    });
    return read;
  }

  /** The posture's figures of the kept read, read once, on a turn of their own. */
  function observedOf(orgId: string, figures: KeptFigures): NonNullable<KeptFigures["observed"]> {
    if (figures.observed) return figures.observed;
    const { at } = figures;
    const observed = nextTurn().then(() =>
      deps.figures.observedUse(orgId, at - GUIDANCE_DAYS * DAY, at),
    );
    figures.observed = observed;
    observed.catch(() => {
      if (figures.observed === observed) figures.observed = undefined;
    });
    return observed;
  }

  async function settings(text: string, userId: string): Promise<Reply> {
    const check = await deps.responders.check(userId);
    const responder = check.ok;
    const { org, rest: topicText } = orgTerm(text);
    const orgId = org === undefined || !responder ? orgs.first : orgs.find(org);
    if (orgId === undefined)
      return orgNotFound(orgs, org ?? "", [
        `settings org:${orgs.first}`,
        `settings api-tokens org:${orgs.first}`,
      ]);
    const reply = await guidanceReply(topicText, responder, orgId);
    // Whether they respond could not be told now: the settings alone, and why (failing closed).
    if (!check.ok && check.retryable)
      return { text: reply.text, blocks: [section(check.message), ...reply.blocks] };
    if (topicText.trim() !== "" || !responder) return reply;
    const added = orgs.ids.flatMap((orgId) => deps.suppressions.list(orgId));
    const now = deps.clock.now();
    const muted = orgs.ids.flatMap((orgId) => deps.mutes.list(now, orgId));
    const label = (id: string) => orgs.label(id);
    return {
      text: reply.text,
      blocks: [...reply.blocks, ...suppressionBlocks(added, label), ...muteBlocks(muted, label)],
    };
  }

  /** Responders see the organization's figures and posture; anyone else the settings alone. */
  async function guidanceReply(
    topicText: string,
    responder: boolean,
    orgId: string,
  ): Promise<Reply> {
    const topic = topicText.trim().toLowerCase();
    if (topic !== "" && !(TOPICS as readonly string[]).includes(topic)) {
      const guess = nearest(topic, TOPICS);
      return errorReply({
        message: `unknown settings topic "${truncate(topic, 40)}"`,
        suggestion: guess ? `did you mean ${guess}?` : `topics: ${TOPICS.join(", ")}`,
        examples: ["settings", "settings api-tokens"],
      });
    }
    if (!responder)
      return settingsReply(
        guidance((topic || undefined) as Topic | undefined, null, GUIDANCE_DAYS),
        null,
        GUIDANCE_DAYS,
      );
    const figures = figuresOf(orgId);
    const { at } = figures;
    const stats = await figures.stats;
    const since = at - GUIDANCE_DAYS * DAY;
    // The posture is shown without a topic only.
    const posture =
      topic === ""
        ? postureReport(deps.posture ?? {}, await observedOf(orgId, figures))
        : undefined;
    const reply = settingsReply(
      guidance((topic || undefined) as Topic | undefined, stats, GUIDANCE_DAYS),
      orgId,
      GUIDANCE_DAYS,
      posture,
      orgs.several
        ? { name: orgs.name(orgId), of: orgs.ids.length, first: orgId === orgs.first }
        : undefined,
      {
        backfilling: deps.backfilling?.(orgId) === true,
        prunedBefore: deps.prunedBefore?.(orgId, since),
      },
    );
    const asOf = `Figures as of ${slackDate(at, "{time}")}: read again at most once a minute.`;
    return { text: reply.text, blocks: [...reply.blocks, context(asOf)] };
  }

  return settings;
}
