import { describe, expect, it } from "vitest";
import { parseLine } from "../../src/console/prompt.js";
import { buttonsOf, PLAIN, plainMrkdwn, renderBlocks } from "../../src/console/render.js";

describe("the console prompt", () => {
  it("reads commands with or without the slash", () => {
    expect(parseLine("/mcp-activity user:me since:1d")).toEqual({
      kind: "command",
      text: "user:me since:1d",
    });
    expect(parseLine("mcp-activity")).toEqual({ kind: "command", text: "" });
    expect(parseLine("settings api-tokens")).toEqual({
      kind: "command",
      text: "settings api-tokens",
    });
  });

  it("reads button presses by word and alert number", () => {
    expect(parseLine("ack 3")).toEqual({ kind: "press", word: "ack", id: "3" });
    expect(parseLine("  Expected 12 ")).toEqual({ kind: "press", word: "expected", id: "12" });
    expect(parseLine("more")).toEqual({ kind: "press", word: "more" });
    expect(parseLine("settings 4")).toEqual({ kind: "press", word: "settings", id: "4" });
    expect(parseLine("yes 5")).toEqual({ kind: "press", word: "yes", id: "5" });
    expect(parseLine("snooze 3 4h")).toEqual({
      kind: "press",
      word: "snooze",
      id: "3",
      option: "4h",
    });
    expect(parseLine("snooze 3 24")).toEqual({
      kind: "press",
      word: "snooze",
      id: "3",
      option: "24h",
    });
    expect(parseLine("snooze 3")).toMatchObject({
      kind: "unknown",
      message: expect.stringContaining("snooze 3 4h"),
    });
  });

  it("says what is wrong with a press that names no alert, or a typo", () => {
    expect(parseLine("ack")).toMatchObject({
      kind: "unknown",
      message: expect.stringContaining("ack 3"),
    });
    expect(parseLine("ack x")).toMatchObject({ kind: "unknown" });
    expect(parseLine("ackk 1")).toMatchObject({
      message: expect.stringContaining("did you mean ack?"),
    });
    expect(parseLine("zzzzzzzzzz")).toMatchObject({
      kind: "unknown",
      message: expect.stringContaining("type help"),
    });
  });

  it("knows help, quit, digest and empty lines", () => {
    expect(parseLine("help")).toEqual({ kind: "help" });
    expect(parseLine("exit")).toEqual({ kind: "quit" });
    expect(parseLine("digest")).toEqual({ kind: "digest" });
    expect(parseLine("   ")).toEqual({ kind: "nothing" });
  });
});

describe("Block Kit on a terminal", () => {
  const names = (id: string) => (id === "U1" ? "alice" : id);

  it("resolves mentions, links, dates, code and entities", () => {
    expect(
      plainMrkdwn(
        "*Hi* <@U1> and <!subteam^S1> in <#C1|security>: <https://x.test|the hub> at <!date^1^{date}|Jan 1> `code` &lt;b&gt; _quiet_",
        PLAIN,
        names,
      ),
    ).toBe("Hi @alice and @responders in #security: the hub at Jan 1 code <b> quiet");
    expect(plainMrkdwn("<!channel> <!here>", PLAIN, names)).toBe("@channel @here");
  });

  it("renders headers, sections with fields, context and the buttons it offers", () => {
    const blocks = [
      { type: "header", text: { type: "plain_text", text: "Title" } },
      {
        type: "section",
        text: { type: "mrkdwn", text: "body" },
        fields: [{ type: "mrkdwn", text: "*Top*\n3 · a\n2 · b" }],
      },
      {
        type: "context",
        elements: [
          { type: "mrkdwn", text: "one" },
          { type: "mrkdwn", text: "two" },
        ],
      },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "alert_acknowledge",
            value: "7",
            text: { type: "plain_text", text: "Acknowledge" },
          },
          {
            type: "button",
            action_id: "other",
            value: "x",
            text: { type: "plain_text", text: "Hidden" },
          },
        ],
      },
    ];
    const lines = renderBlocks(blocks, "fallback", PLAIN, names, (b) =>
      b.actionId === "alert_acknowledge" ? `ack ${b.value}` : undefined,
    );
    expect(lines).toEqual([
      "Title",
      "body",
      "  Top",
      "      3 · a",
      "      2 · b",
      "one  ·  two",
      "[Acknowledge: ack 7]",
    ]);
    expect(buttonsOf(blocks).map((b) => b.actionId)).toEqual(["alert_acknowledge", "other"]);
    const menu = {
      type: "actions",
      elements: [
        {
          type: "overflow",
          action_id: "alert_snooze",
          options: [{ text: { type: "plain_text", text: "Snooze 1 hour" }, value: "7:1" }],
        },
      ],
    };
    expect(buttonsOf([menu])).toEqual([
      { actionId: "alert_snooze", label: "Snooze 1 hour", value: "7:1", option: true },
    ]);
    expect(renderBlocks([], "just *text*", PLAIN, names, () => undefined)).toEqual(["just text"]);
  });
});
