/**
 * The real Bolt app in HTTP mode on 127.0.0.1 (with /healthz beside /slack/events), stopped after
 * each test, and signed clicks and commands sent to it: the one Bolt setup of the tests.
 */
import type { App } from "@slack/bolt";
import { parseConfig } from "../../src/config.js";
import { healthHandler } from "../../src/http-server.js";
import { startSlackApp } from "../../src/slack/app.js";
import { Responders } from "../../src/slack/responders.js";
import { sendCommand } from "../fakes/slack-command.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { actionBody, postSigned } from "../helpers/slack-sign.js";
import { CHANNEL, type slackRig } from "./setup.js";

export const SECRET = "signing-secret-for-bolt-tests";

type Rig = Awaited<ReturnType<typeof slackRig>>;

export interface BoltOptions {
  /** SLACK_RESPONDERS; empty (the default): the alert channel's members. */
  readonly responders?: string;
}

/**
 * Starts Bolt on the rig's fake Slack with the listeners `register` adds (it gets the responders
 * as configured). Clicks and commands are signed with `SECRET`.
 */
export async function boltApp(
  r: Rig,
  register: (app: App, responders: Responders) => void,
  options: BoltOptions = {},
) {
  const config = parseConfig({
    ATLASSIAN_ORG_ID: "org-1",
    ATLASSIAN_API_KEY: "k",
    SLACK_BOT_TOKEN: "xoxb-test-hunter2",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_ALERT_CHANNEL: CHANNEL,
    SLACK_API_URL: r.slack.url,
    SLACK_RESPONDERS: options.responders ?? "",
    PORT: "0",
  });
  const people = new Responders({
    client: r.client,
    directory: r.directory,
    clock: r.clock,
    logger: r.logs.logger,
    configured: config.slack.responders,
    channel: CHANNEL,
  });
  const app = await startSlackApp(
    config,
    r.logs.logger,
    { "/healthz": healthHandler(() => ({ healthy: true, body: { status: "ok" } })) },
    (bolt) => register(bolt, people),
    "127.0.0.1",
  );
  closeAfterTest(() => app.stop());
  const url = `http://127.0.0.1:${app.port}/slack/events`;
  let n = 0;
  /** A click's or command's reply once there is one: posted to its response URL, or in the ack. */
  const replyBody = async (id: string) => {
    await r.slack.waitFor(() => r.slack.responses.some((x) => x.id === id), 5000, `reply ${id}`);
    return r.slack.responses.find((x) => x.id === id)?.body ?? {};
  };
  /** The text of the reply to a click or command. */
  const reply = async (id: string) => String((await replyBody(id)).text ?? "");
  /** What a signed request got: its status, and the reply to it once posted. */
  const sent = (status: number, id: string) => ({
    status,
    reply: () => reply(id),
    body: () => replyBody(id),
  });
  /**
   * A signed click on a button (or an overflow option) of the message at `where`: an ephemeral
   * one (a command's reply) when `where.ephemeral`.
   */
  const click = async (
    actionId: string,
    user: string,
    value: string,
    where: { channel: string; ts: string; ephemeral?: boolean } = {
      channel: CHANNEL,
      ts: "1.000001",
    },
    overflow = false,
  ) => {
    const id = `click-${++n}`;
    const response = await postSigned(
      url,
      actionBody({
        type: "block_actions",
        team: { id: "T0FAKE" },
        user: { id: user, username: user, team_id: "T0FAKE" },
        api_app_id: "A0APP",
        token: "t",
        trigger_id: `t-${n}`,
        container: {
          type: "message",
          message_ts: where.ts,
          channel_id: where.channel,
          ...(where.ephemeral ? { is_ephemeral: true } : {}),
        },
        channel: { id: where.channel },
        message: { ts: where.ts, type: "message", text: "" },
        response_url: r.slack.responseUrl(id),
        actions: [
          overflow
            ? {
                type: "overflow",
                action_id: actionId,
                block_id: "b",
                selected_option: { text: { type: "plain_text", text: "x" }, value },
                action_ts: "1",
              }
            : { type: "button", action_id: actionId, block_id: "b", value, action_ts: "1" },
        ],
      }),
      SECRET,
    );
    return sent(response.status, id);
  };
  /** A signed `/mcp-activity` command; its reply, in the acknowledgement or posted after it. */
  const command = async (text: string, user: string) => {
    const id = `cmd-${++n}`;
    const response = await sendCommand(r.slack, url, SECRET, id, {
      text,
      user_id: user,
      user_name: user,
      team_id: "T0FAKE",
      channel_id: CHANNEL,
    });
    return { ...sent(response.status, id), acknowledgement: response.text };
  };
  return { app, url, responders: people, click, command };
}
