import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { Secret } from "../src/secret.js";

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe("logger", () => {
  it("writes JSON lines with child bindings", () => {
    const out = capture();
    const logger = createLogger({ level: "info", format: "json", destination: out.stream });
    logger.child({ component: "poller" }).info({ stored: 3 }, "poll done");
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 30,
      component: "poller",
      stored: 3,
      msg: "poll done",
      service: "mcp-activity",
    });
  });

  it("redacts credentials under known keys and Secret values anywhere", () => {
    const out = capture();
    const logger = createLogger({ level: "info", format: "json", destination: out.stream });
    logger.info({
      token: "xoxb-LEAK-1",
      headers: { authorization: "Bearer LEAK-2" },
      config: { apiKey: "LEAK-3" },
    });
    logger.info({ anything: new Secret("LEAK-4") }, "with a secret");
    expect(out.text()).not.toContain("LEAK");
    expect(out.text()).toContain("[redacted]");
  });

  it("respects the level", () => {
    const out = capture();
    const logger = createLogger({ level: "warn", format: "json", destination: out.stream });
    logger.info("quiet");
    logger.warn("loud");
    expect(out.text()).not.toContain("quiet");
    expect(out.text()).toContain("loud");
  });

  it("prints readable lines when asked for pretty", () => {
    const out = capture();
    const logger = createLogger({ level: "info", format: "pretty", destination: out.stream });
    logger.info({ token: "LEAK-5" }, "hello there");
    expect(out.text()).toContain("hello there");
    expect(out.text()).not.toMatch(/^\{/);
    expect(out.text()).not.toContain("LEAK");
  });
});
