import type { Clock } from "../../clock.js";
import type { Posture } from "../../detect/posture.js";
import { postureReport } from "../../guidance/posture.js";
import { guidance, TOPICS, type Topic } from "../../guidance/settings.js";
import { nearest } from "../../nearest.js";
import type { WatchedOrgs } from "../../organizations.js";
import type { Repositories } from "../../store/repositories.js";
import { DAY } from "../../time-units.js";
import { errorReply, type Reply, settingsReply } from "../blocks/query.js";
import { suppressionBlocks } from "../blocks/suppressions.js";
import { truncate } from "../escape.js";
import type { Responders } from "../responders.js";

const GUIDANCE_DAYS = 7;

export interface SettingsDeps {
  readonly store: Repositories["activity"];
  readonly suppressions: Repositories["suppressions"];
  readonly clock: Clock;
  /** The organization the guidance's figures come from (the first watched). */
  readonly orgId: string;
  readonly orgs: WatchedOrgs;
  readonly responders: Responders;
  /** The posture the rules file declares, shown beside what the log shows (none: empty). */
  readonly posture?: Posture | undefined;
}

/**
 * `/mcp-activity settings [topic]`: the Atlassian admin settings to change. Responders also see
 * why each matters here now and, without a topic, the declared posture against what the log
 * shows and the suppressions they added; anyone else sees no figure of the organization.
 */
export function settingsAnswerer(deps: SettingsDeps) {
  const { store, orgs } = deps;

  async function settings(topicText: string, userId: string): Promise<Reply> {
    const responder = (await deps.responders.check(userId)).ok;
    const reply = guidanceReply(topicText, responder);
    if (topicText.trim() !== "" || !responder) return reply;
    const added = orgs.ids.flatMap((orgId) => deps.suppressions.list(orgId));
    return {
      text: reply.text,
      blocks: [...reply.blocks, ...suppressionBlocks(added, (id) => orgs.label(id))],
    };
  }

  /** Responders see the organization's figures and posture; anyone else the settings alone. */
  function guidanceReply(topicText: string, responder: boolean): Reply {
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

  return settings;
}
