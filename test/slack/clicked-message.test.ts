import { describe, expect, it } from "vitest";
import { clickedMessage } from "../../src/slack/clicked-message.js";

describe("the message a button was clicked in", () => {
  it("is the channel's or direct message's message the click names", () => {
    const container = { type: "message", message_ts: "1.000100", channel_id: "C1" };
    expect(clickedMessage({ container })).toEqual({ channel: "C1", ts: "1.000100" });
  });

  it("is none in the App Home, an ephemeral reply, or a container Slack never sends", () => {
    expect(clickedMessage({ container: { type: "view", view_id: "V1" } })).toBeUndefined();
    const ephemeral = { type: "message", message_ts: "1.2", channel_id: "C1", is_ephemeral: true };
    expect(clickedMessage({ container: ephemeral })).toBeUndefined();
    expect(clickedMessage({ container: { type: "message", channel_id: "C1" } })).toBeUndefined();
    expect(clickedMessage({ container: undefined as never })).toBeUndefined();
  });
});
