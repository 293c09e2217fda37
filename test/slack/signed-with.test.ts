import { describe, expect, it } from "vitest";
import { signedWith } from "../../src/slack/signed-with.js";
import { signSlackRequest } from "../helpers/slack-sign.js";

const body = "command=%2Fmcp-activity&text=status";
const request = (secret: string, sent = body) => ({
  headers: { ...signSlackRequest(secret, body, 1_700_000_000) },
  rawBody: Buffer.from(sent),
});

describe("a request's signature, whatever its age", () => {
  it("holds only for the secret it was made with, over the body as received", () => {
    expect(signedWith("the-secret", request("the-secret"))).toBe(true);
    expect(signedWith("the-secret", request("another-secret"))).toBe(false);
    expect(signedWith("the-secret", request("the-secret", `${body}&x=1`))).toBe(false);
  });

  it("does not hold without its headers or its body", () => {
    const { headers } = request("the-secret");
    expect(signedWith("the-secret", undefined)).toBe(false);
    expect(signedWith("the-secret", { headers })).toBe(false);
    expect(signedWith("the-secret", { headers: {}, rawBody: Buffer.from(body) })).toBe(false);
    const short = { ...headers, "x-slack-signature": "v0=abc" };
    expect(signedWith("the-secret", { headers: short, rawBody: Buffer.from(body) })).toBe(false);
  });
});
