/**
 * The plain server of /healthz and /metrics (Socket Mode's, on 127.0.0.1): whatever a request
 * that reaches the port carries, it is answered and the process goes on serving.
 */
import { describe, expect, it } from "vitest";
import { listen } from "../src/http-server.js";
import { closeAfterTest } from "./helpers/cleanup.js";
import { rawGet } from "./helpers/raw-request.js";

async function served(routes: Parameters<typeof listen>[1]) {
  const server = await listen(0, routes, "127.0.0.1");
  closeAfterTest(() => server.close());
  return server.port;
}

const ok: Parameters<typeof listen>[1][string] = (_req, res) => {
  res.writeHead(200);
  res.end("ok");
};

describe("listen", () => {
  it.each(["//[", "//:99999"])(
    "answers 400 to the target %s, which URL cannot read, and serves on",
    async (target) => {
      const port = await served({ "/healthz": ok });
      expect(await rawGet(port, target)).toBe("HTTP/1.1 400 Bad Request");
      expect(await rawGet(port, "/healthz")).toBe("HTTP/1.1 200 OK");
      expect(await rawGet(port, "/elsewhere")).toBe("HTTP/1.1 404 Not Found");
    },
  );

  it("answers 500 for a route that throws, and serves on", async () => {
    const port = await served({
      "/broken": () => {
        throw new Error("broken route");
      },
      "/healthz": ok,
    });
    expect(await rawGet(port, "/broken")).toBe("HTTP/1.1 500 Internal Server Error");
    expect(await rawGet(port, "/healthz")).toBe("HTTP/1.1 200 OK");
  });
});
