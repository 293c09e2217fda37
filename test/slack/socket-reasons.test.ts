/** The words the log and /healthz give for a Socket Mode failure, from what Slack's client reports. */
import { describe, expect, it } from "vitest";
import { disconnectReason, dropWords, reasonOf } from "../../src/slack/socket-reasons.js";

/** A refusal of apps.connections.open as Slack's Web API client throws it. */
const refused = (error: string) => ({
  code: "slack_webapi_platform_error",
  data: { ok: false, error },
});

describe("Socket Mode's reasons", () => {
  it("names SLACK_APP_TOKEN, and what to do, for each refusal of the token", () => {
    const invalid =
      "SLACK_APP_TOKEN is not valid: generate an app-level token with the connections:write scope (Basic Information → App-Level Tokens)";
    for (const code of ["invalid_auth", "not_authed", "account_inactive", "token_revoked"])
      expect(reasonOf(refused(code)), code).toBe(invalid);
    expect(reasonOf(refused("missing_scope"))).toBe(
      "SLACK_APP_TOKEN lacks the connections:write scope",
    );
    expect(reasonOf(refused("not_allowed_token_type"))).toBe(
      "SLACK_APP_TOKEN is not an app-level token (xapp-…)",
    );
    expect(reasonOf(refused("ratelimited"))).toBe("ratelimited");
  });

  it("gives words for whatever the client rejects with, nothing included", () => {
    expect(reasonOf(undefined)).toBe(
      "the WebSocket closed before Slack said hello: check that this machine reaches wss://*.slack.com",
    );
    const fetchFailed = { original: { message: "fetch failed", cause: { code: "ENOTFOUND" } } };
    expect(reasonOf(fetchFailed)).toBe("ENOTFOUND");
    expect(reasonOf(new Error("socket hang up"))).toBe("socket hang up");
    expect(reasonOf("odd")).toBe("odd");
  });

  it("reads the reason of Slack's disconnect envelope, and only of it", () => {
    expect(disconnectReason('{"type":"disconnect","reason":"link_disabled"}')).toBe(
      "link_disabled",
    );
    expect(disconnectReason('{"type":"hello"}')).toBeUndefined();
    expect(disconnectReason("not json")).toBeUndefined();
    expect(disconnectReason(new ArrayBuffer(2))).toBeUndefined();
    expect(dropWords("refresh_requested")).toEqual({ warn: false });
    expect(dropWords("link_disabled")).toMatchObject({ warn: true });
    expect(dropWords("too_many_websockets").words).toContain(
      "other copies of the bot (or other programs) use the same SLACK_APP_TOKEN",
    );
  });
});
