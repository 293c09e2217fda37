import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { actionBody, commandBody, postSigned, signSlackRequest } from "../helpers/slack-sign.js";

describe("Slack request signing helpers", () => {
  // The example request from Slack's "Verifying requests from Slack" guide.
  const secret = "8f742231b10e8888abcd99yyyzzz85a5";
  const timestamp = 1531420618;
  const body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

  it("produces the documented signature", () => {
    const independent = createHmac("sha256", secret)
      .update(`v0:${timestamp}:${body}`)
      .digest("hex");
    expect(signSlackRequest(secret, body, timestamp)).toEqual({
      "x-slack-signature": `v0=${independent}`,
      "x-slack-request-timestamp": "1531420618",
    });
    expect(independent).toBe("a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
  });

  it("signs with the current time by default", () => {
    const now = Math.floor(Date.now() / 1000);
    const ts = Number(signSlackRequest(secret, "a=1")["x-slack-request-timestamp"]);
    expect(Math.abs(ts - now)).toBeLessThanOrEqual(1);
  });

  it("builds command and action bodies", () => {
    const command = commandBody({ command: "/mcp", text: "ack <1> & more", user_id: "U1" });
    expect(command).toBe("command=%2Fmcp&text=ack+%3C1%3E+%26+more&user_id=U1");
    const action = actionBody({ type: "block_actions", actions: [{ action_id: "ack" }] });
    const decoded = new URLSearchParams(action);
    expect([...decoded.keys()]).toEqual(["payload"]);
    expect(JSON.parse(decoded.get("payload") ?? "")).toEqual({
      type: "block_actions",
      actions: [{ action_id: "ack" }],
    });
  });

  it("posts signed requests with the exact content type", async () => {
    const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      req.on("end", () => {
        seen.push({ headers: req.headers, body: text });
        res.writeHead(text === "plain=1" ? 401 : 200, { "content-type": "application/json" });
        res.end(text === "plain=1" ? "nope" : '{"response_type":"ephemeral"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    try {
      const ok = await postSigned(url, "a=1", secret, { timestamp });
      expect(ok).toEqual({
        status: 200,
        text: '{"response_type":"ephemeral"}',
        contentType: "application/json",
        json: { response_type: "ephemeral" },
      });
      expect(seen[0]?.body).toBe("a=1");
      expect(seen[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(seen[0]?.headers["x-slack-request-timestamp"]).toBe(String(timestamp));
      expect(seen[0]?.headers["x-slack-signature"]).toBe(
        signSlackRequest(secret, "a=1", timestamp)["x-slack-signature"],
      );

      const forged = await postSigned(url, "plain=1", secret, {
        signature: "v0=forged",
        contentType: "application/json",
      });
      expect(forged).toEqual({ status: 401, text: "nope", contentType: "application/json" });
      expect(seen[1]?.headers["x-slack-signature"]).toBe("v0=forged");
      expect(seen[1]?.headers["content-type"]).toBe("application/json");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
