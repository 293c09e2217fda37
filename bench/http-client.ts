import { Agent, request } from "node:http";
import type { Post } from "../src/console/requests.js";

/**
 * The benchmarks' requests to the bot: node:http over one kept-alive connection per request in
 * flight, each answer read to its end. Not `fetch`: in Node 20 each fetch Response is registered
 * for clean-up when collected, which keeps it (and all it holds) through every young-generation
 * collection until a full one; the sending process then paused 3–10 ms at a time for its own
 * collections, and those pauses were counted as the bot's latency.
 */
export function httpClient(): {
  get(url: string): Promise<number>;
  post: Post;
  close(): void;
} {
  const agent = new Agent({ keepAlive: true });
  const send = (url: string, method: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(url, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.once("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.once("error", reject);
      });
      req.once("error", reject);
      req.end(body);
    });
  return {
    get: async (url) => (await send(url, "GET", {})).status,
    post: (url, headers, body) =>
      send(url, "POST", { ...headers, "content-length": String(Buffer.byteLength(body)) }, body),
    close: () => agent.destroy(),
  };
}
