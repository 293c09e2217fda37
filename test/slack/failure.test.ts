import { once } from "node:events";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { ErrorCode } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { Secret } from "../../src/secret.js";
import { createWebClient } from "../../src/slack/client.js";
import { classifySlackError } from "../../src/slack/failure.js";
import { capturedLogger } from "../helpers/logs.js";

describe("classifySlackError", () => {
  it("takes the bot not in a channel for a setup problem in the alert channel only", () => {
    const notIn = { code: ErrorCode.PlatformError, data: { ok: false, error: "not_in_channel" } };
    expect(classifySlackError(notIn, true)).toMatchObject({ kind: "setup", channelProblem: true });
    // Another channel (the one before, a shell's): that message is refused, nothing waits.
    expect(classifySlackError(notIn)).toMatchObject({ kind: "rejected", code: "not_in_channel" });
  });

  it("names the system's reason when Slack cannot be reached at all", async () => {
    // A port that was free a moment ago: nothing listens there, the connection is refused.
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    server.close();
    const logs = capturedLogger("debug");
    const observed: string[] = [];
    const client = createWebClient(
      new Secret("xoxb-test"),
      `http://127.0.0.1:${port}/api/`,
      logs.logger,
      { timeoutMs: 2_000, observe: (method, result) => observed.push(`${method} ${result}`) },
    );
    const error = await client.auth.test().then(
      () => undefined,
      (e: unknown) => e,
    );
    const failure = classifySlackError(error);
    expect(failure).toMatchObject({ kind: "transient" });
    expect(failure.code).toContain("ECONNREFUSED");
    // The metric's label is the code alone: no message, no address.
    expect(observed).toEqual(["auth.test ECONNREFUSED"]);
    // The library's own line is debug: the caller says the failure, once.
    const said = logs.lines().filter((l) => String(l.msg).startsWith("http request failed"));
    expect(said.map((l) => l.level)).toEqual([20]);
  });

  it("names the innermost reason when the system gives no code", async () => {
    // Port 9 is one fetch refuses to call at all: no connection is tried, nothing has a code.
    const observed: string[] = [];
    const client = createWebClient(
      new Secret("xoxb-test"),
      "http://127.0.0.1:9/api/",
      createLogger({ level: "silent", format: "json", fd: 2 }),
      { observe: (method, result) => observed.push(`${method} ${result}`) },
    );
    const error = await client.auth.test().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(classifySlackError(error).code).toBe(
      "A request error occurred: fetch failed (bad port)",
    );
    expect(observed).toEqual(["auth.test no_answer"]);
  });

  it("counts an answer without Slack's code under a word from a small set", async () => {
    const answers = [
      { status: 200, type: "text/html", body: "<html>proxy login</html>" },
      { status: 503, type: "text/html", body: "<html>unavailable</html>" },
      { status: 200, type: "application/json", body: '{"ok":false,"error":"channel_not_found"}' },
    ];
    const server = createHttpServer((_req, res) => {
      const answer = answers.shift();
      res.writeHead(answer?.status ?? 500, { "content-type": answer?.type ?? "text/plain" });
      res.end(answer?.body ?? "");
    }).listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      const observed: string[] = [];
      const client = createWebClient(
        new Secret("xoxb-test"),
        `http://127.0.0.1:${port}/api/`,
        createLogger({ level: "silent", format: "json", fd: 2 }),
        { observe: (_method, result) => observed.push(result) },
      );
      for (let i = 0; i < 3; i++) await client.auth.test().catch(() => undefined);
      expect(observed).toEqual(["not_slack_json", "http_503", "channel_not_found"]);
    } finally {
      server.close();
    }
  });
});
