import { actionBody, commandBody, signSlackRequest } from "./sign.js";
import type { ConsoleSlack } from "./slack-api.js";
import { CONSOLE_CHANNEL } from "./slack-api.js";
import type { Pressable } from "./terminal.js";

/** POSTs a body with its headers; resolves with the HTTP status and the answer's text. */
export type Post = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<{ status: number; text: string }>;

const fetchPost: Post = async (url, headers, body) => {
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
};

/**
 * What Slack would send the app when the console's person types a command or presses a button:
 * the same bodies, signed with the app's signing secret, POSTed to its /slack/events (with
 * `fetch` unless `post` says otherwise); a reply in the app's acknowledgement is shown.
 */
export class ConsoleRequests {
  private triggers = 0;

  constructor(
    private readonly o: {
      eventsUrl: string;
      signingSecret: string;
      slack: ConsoleSlack;
      post?: Post;
    },
  ) {}

  command(text: string): Promise<void> {
    const { user } = this.o.slack;
    return this.send(
      commandBody({
        command: "/mcp-activity",
        text,
        user_id: user.id,
        user_name: user.name,
        team_id: "TCONSOLE1",
        channel_id: CONSOLE_CHANNEL,
        response_url: this.o.slack.responseUrl(),
        trigger_id: this.trigger(),
      }),
    );
  }

  press({ button, message }: Pressable): Promise<void> {
    const { user } = this.o.slack;
    const channel = message?.channel ?? CONSOLE_CHANNEL;
    return this.send(
      actionBody({
        type: "block_actions",
        team: { id: "TCONSOLE1", domain: "console" },
        user: { id: user.id, username: user.name, team_id: "TCONSOLE1" },
        api_app_id: "ACONSOLE1",
        token: "",
        trigger_id: this.trigger(),
        container: message
          ? { type: "message", message_ts: message.ts, channel_id: channel }
          : { type: "message", is_ephemeral: true, channel_id: channel },
        channel: { id: channel },
        ...(message ? { message: { type: "message", ts: message.ts, text: message.text } } : {}),
        response_url: this.o.slack.responseUrl(),
        actions: [
          button.option
            ? {
                type: "overflow",
                action_id: button.actionId,
                block_id: "console",
                selected_option: {
                  text: { type: "plain_text", text: button.label },
                  value: button.value,
                },
                action_ts: String(Date.now() / 1000),
              }
            : {
                type: "button",
                action_id: button.actionId,
                block_id: "console",
                text: { type: "plain_text", text: button.label },
                value: button.value,
                action_ts: String(Date.now() / 1000),
              },
        ],
      }),
    );
  }

  private async send(body: string): Promise<void> {
    const { status, text } = await (this.o.post ?? fetchPost)(
      this.o.eventsUrl,
      {
        "content-type": "application/x-www-form-urlencoded",
        ...signSlackRequest(this.o.signingSecret, body),
      },
      body,
    );
    if (status < 200 || status > 299) throw new Error(`the app answered HTTP ${status}`);
    if (text !== "") this.o.slack.acknowledged(text);
  }

  private trigger(): string {
    return `console-${++this.triggers}`;
  }
}
