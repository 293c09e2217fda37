/**
 * Block Kit rules the fake checks as Slack does: each case quotes the reference's rule, and
 * chat.postMessage answers invalid_blocks with the JSON pointer of what breaks it.
 */
import { describe, expect, it } from "vitest";
import { closeAfterTest } from "../helpers/cleanup.js";
import { startFakeSlack } from "./slack-api.js";

async function post(blocks: unknown[]): Promise<Record<string, unknown>> {
  const fake = await startFakeSlack();
  closeAfterTest(() => fake.close());
  const response = await fetch(`${fake.url}chat.postMessage`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", authorization: "Bearer x" },
    body: JSON.stringify({ channel: "C0ALERTS", text: "fallback", blocks }),
  });
  return (await response.json()) as Record<string, unknown>;
}

const plain = (text: string) => ({ type: "plain_text", text });
const button = (text: string, extra: Record<string, unknown> = {}) => ({
  type: "button",
  action_id: "a",
  value: "v",
  text: plain(text),
  ...extra,
});
const option = (value: string, text = "x") => ({ text: plain(text), value });
const actions = (...elements: unknown[]) => [{ type: "actions", elements }];
const overflow = (...options: unknown[]) => ({ type: "overflow", action_id: "o", options });
const confirm = (c: Partial<Record<"title" | "text" | "confirm" | "deny", string>>) =>
  button("Go", {
    confirm: {
      title: plain(c.title ?? "Sure?"),
      text: plain(c.text ?? "It cannot be undone."),
      confirm: plain(c.confirm ?? "Yes"),
      deny: plain(c.deny ?? "No"),
    },
  });

describe("the fake refuses what Slack's Block Kit reference refuses", () => {
  it.each<[string, unknown[], string]>([
    // Text object: "The minimum length is 1 and maximum length is 3000 characters."
    [
      "an empty section text",
      [{ type: "section", text: { type: "mrkdwn", text: "" } }],
      "must be more than 0 characters [json-pointer:/blocks/0/text/text]",
    ],
    [
      "an empty section field",
      [{ type: "section", fields: [plain("a"), { type: "mrkdwn", text: "" }] }],
      "must be more than 0 characters [json-pointer:/blocks/0/fields/1/text]",
    ],
    [
      "an empty button label",
      actions(button("")),
      "must be more than 0 characters [json-pointer:/blocks/0/elements/0/text/text]",
    ],
    [
      "an empty context text",
      [{ type: "context", elements: [{ type: "mrkdwn", text: "" }] }],
      "must be more than 0 characters [json-pointer:/blocks/0/elements/0/text]",
    ],
    [
      "a context text over 3000 characters",
      [{ type: "context", elements: [{ type: "mrkdwn", text: "a".repeat(3001) }] }],
      "must be less than 3001 characters [json-pointer:/blocks/0/elements/0/text]",
    ],
    // Overflow menu: "An array of up to five option objects to display in the menu."
    [
      "an overflow menu of six options",
      actions(overflow(...["1", "2", "3", "4", "5", "6"].map((v) => option(v)))),
      "must provide no more than 5 items [json-pointer:/blocks/0/elements/0/options]",
    ],
    // Option object: value "Maximum length for this field is 150 characters", text 75.
    [
      "an option value over 150 characters",
      actions(overflow(option("a".repeat(151)), option("b"))),
      "must be less than 151 characters [json-pointer:/blocks/0/elements/0/options/0/value]",
    ],
    [
      "an option text over 75 characters",
      actions(overflow(option("a"), option("b", "t".repeat(76)))),
      "must be less than 76 characters [json-pointer:/blocks/0/elements/0/options/1/text/text]",
    ],
    // Confirmation dialog: title 100, text 300, confirm and deny 30 characters.
    [
      "a confirm title over 100 characters",
      actions(confirm({ title: "a".repeat(101) })),
      "must be less than 101 characters [json-pointer:/blocks/0/elements/0/confirm/title/text]",
    ],
    [
      "a confirm text over 300 characters",
      actions(confirm({ text: "a".repeat(301) })),
      "must be less than 301 characters [json-pointer:/blocks/0/elements/0/confirm/text/text]",
    ],
    [
      "a confirm button over 30 characters",
      actions(confirm({ confirm: "a".repeat(31) })),
      "must be less than 31 characters [json-pointer:/blocks/0/elements/0/confirm/confirm/text]",
    ],
    [
      "a deny button over 30 characters",
      actions(confirm({ deny: "a".repeat(31) })),
      "must be less than 31 characters [json-pointer:/blocks/0/elements/0/confirm/deny/text]",
    ],
    // Confirm's text: "A plain_text text object" (mrkdwn would show its markup as typed).
    [
      "a confirm text in mrkdwn",
      actions(
        button("Go", {
          confirm: { title: plain("Sure?"), text: { type: "mrkdwn", text: "Run `this`?" } },
        }),
      ),
      "must be a plain_text text object [json-pointer:/blocks/0/elements/0/confirm/text]",
    ],
    [
      "an accessory's empty confirm text",
      [{ type: "section", text: plain("a"), accessory: confirm({ text: "" }) }],
      "must be more than 0 characters [json-pointer:/blocks/0/accessory/confirm/text/text]",
    ],
  ])("%s", async (_label, blocks, error) => {
    expect(await post(blocks)).toMatchObject({
      ok: false,
      error: "invalid_blocks",
      errors: [error],
    });
  });

  it("takes the same blocks at their limits", async () => {
    const blocks = [
      { type: "section", text: plain("a"), fields: [plain("b")] },
      { type: "context", elements: [{ type: "mrkdwn", text: "a".repeat(3000) }] },
      actions(
        overflow(
          ...["1", "2", "3", "4"].map((v) => option(v)),
          option("v".repeat(150), "t".repeat(75)),
        ),
        confirm({ title: "a".repeat(100), text: "a".repeat(300), confirm: "a".repeat(30) }),
      )[0],
    ];
    expect(await post(blocks)).toMatchObject({ ok: true });
  });
});
