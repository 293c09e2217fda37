import { commandBody, postSigned, type SignedResponse } from "../helpers/slack-sign.js";
import type { FakeSlack } from "./slack-api.js";

/**
 * A signed `/mcp-activity` command as Slack sends one, with the response URL `id` on the fake,
 * and its acknowledgement read as Slack reads it: a reply in it is recorded under `id` like one
 * posted to the response URL (`slack.responses`).
 */
export async function sendCommand(
  slack: FakeSlack,
  url: string,
  secret: string,
  id: string,
  fields: Readonly<Record<string, string>>,
): Promise<SignedResponse> {
  const body = commandBody({
    command: "/mcp-activity",
    trigger_id: `t-${id}`,
    ...fields,
    response_url: slack.responseUrl(id),
  });
  const response = await postSigned(url, body, secret);
  slack.acknowledged(id, response);
  return response;
}
