import type * as types from "@slack/types";
import type { ActivityDay, PersonHome } from "../../domain/home.js";
import { counted } from "../../words.js";
import { cutMrkdwn, mrkdwn, slackDate } from "../escape.js";
import { button, type Confirm } from "./button.js";
import { context, dayLabel, type HomeView, section, VIEW_BLOCKS } from "./home-view.js";

type KnownBlock = types.KnownBlock;

export const HOME_ACTIONS = { notMe: "home_not_me" } as const;

const NOT_ME_CONFIRM: Confirm = {
  title: { type: "plain_text", text: "Not you?" },
  text: {
    type: "plain_text",
    text: "The security team is told at once that AI-tool activity with your account that day was not you, and will be in touch.",
  },
  confirm: { type: "plain_text", text: "Tell them" },
  deny: { type: "plain_text", text: "Cancel" },
};

/** A "Not me" button's value: the organization and the day. */
const notMeValue = (day: Pick<ActivityDay, "orgId" | "day">): string => `${day.day}|${day.orgId}`;

function dayBlock(day: ActivityDay, organization: string | undefined): KnownBlock {
  const where = organization === undefined ? "" : ` · ${mrkdwn(organization, 100)}`;
  const tools =
    day.tools.length === 0
      ? ""
      : `\nTools: ${day.tools.map((t) => `${mrkdwn(t.key, 60)} (${t.count})`).join(", ")}`;
  const places = day.places.length === 0 ? "" : `\nIn: ${mrkdwn(day.places.join(", "), 600)}`;
  const said = day.denied ? "\n🚨 You said this was not you; the security team has been told." : "";
  const text = `*${dayLabel(day.day)}*${where} — ${counted(day.calls, "call")} · ${counted(day.writes, "write")} · ${counted(day.deletes, "destructive or admin call")}${tools}${places}${said}`;
  return {
    type: "section",
    text: { type: "mrkdwn", text: cutMrkdwn(text, 3000) },
    ...(day.denied
      ? {}
      : {
          accessory: button(
            HOME_ACTIONS.notMe,
            "Not me",
            notMeValue(day),
            "danger",
            NOT_ME_CONFIRM,
          ),
        }),
  };
}

/**
 * Anyone's App Home who is not a responder: what AI tools did with their own Atlassian account
 * over the last seven days, a day at a time, each with a "Not me" button. Nobody else's activity.
 * Pure; every outside string escaped; within 100 blocks.
 */
export function personHome(home: PersonHome): HomeView {
  const active = home.days.filter((d) => d.calls > 0);
  const calls = active.reduce((sum, d) => sum + d.calls, 0);
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "Your AI-tool activity" } },
    context(
      `What AI tools (Claude, ChatGPT, Cursor, …) did in Atlassian with your account over the last 7 days, through the Rovo MCP server · updated ${slackDate(home.now)}`,
    ),
    ...(home.notice ? [section(cutMrkdwn(home.notice, 2000))] : []),
  ];
  if (home.deletedBefore !== undefined && home.unknown === undefined)
    blocks.push(
      context(
        `Retention (\`RETENTION_DAYS\`) deleted the calls before ${slackDate(home.deletedBefore)}: nothing before then is shown.`,
      ),
    );
  if (home.unknown !== undefined) blocks.push(section(cutMrkdwn(home.unknown, 2000)));
  else if (active.length === 0)
    blocks.push(section("No AI-tool activity with your account in the last 7 days."));
  else {
    blocks.push(
      section(
        `*${counted(calls, "call")}* in the last 7 days. If a day's activity was not you, press *Not me*: the security team is told at once.`,
      ),
    );
    // Room for the days, the closing line kept: past it, the oldest are said in a line.
    const room = VIEW_BLOCKS - blocks.length - 1;
    const shown = active.length <= room ? active : active.slice(0, room - 1);
    blocks.push(...shown.map((d) => dayBlock(d, home.organizations[d.orgId])));
    const left = active.length - shown.length;
    if (left > 0)
      blocks.push(
        context(
          `…and ${counted(left, "earlier day")} of activity not shown here (a day in each organization counts as one): the queries below give their calls.`,
        ),
      );
  }
  // With several organizations a query answers about one: named, each the Home shows.
  const orgs = [...new Set(active.map((d) => d.orgId))].filter((id) => home.organizations[id]);
  const asks =
    orgs.length === 0
      ? ["`/mcp-activity user:me since:7d`"]
      : orgs.map((id) => `\`/mcp-activity user:me since:7d org:${mrkdwn(id, 200)}\``);
  blocks.push(context(`Only you see this. Ask ${asks.join(" or ")} for the calls themselves.`));
  return {
    text: `Your AI-tool activity: ${counted(calls, "call")} in 7 days`,
    blocks,
  };
}
