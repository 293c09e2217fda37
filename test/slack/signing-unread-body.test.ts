import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { until } from "../helpers/until.js";
import { boltApp } from "./bolt.js";
import { slackRig } from "./setup.js";

/** A POST to /slack/events that says how long its body is and sends `sent` of it. */
function post(url: string, length: number, sent: string, hangUp: boolean): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(length),
      },
    });
    req.on("response", (response) => {
      req.destroy();
      resolve(response.statusCode ?? null);
    });
    req.on("error", () => resolve(null));
    req.flushHeaders();
    req.write(sent, () => {
      if (hangUp) {
        req.destroy();
        resolve(null);
      }
    });
  });
}

/**
 * Requests at /slack/events whose body Bolt never reads whole, from anyone who reaches the port
 * (HTTP mode): a sender that hangs up after a few bytes, a body over Bolt's 4 MB. Bolt warned of
 * each, worded as a failed verification ("Failed to parse and verify the request data: request
 * aborted"), and /healthz counted none. Said once then at most hourly, as other refusals are.
 */
describe("requests at /slack/events whose body is never read whole", () => {
  const bolt = (r: Awaited<ReturnType<typeof slackRig>>) =>
    r.logs.lines().filter((line) => String(line.msg).includes("request data: request aborted"));

  it("cut short by their sender: said once, counted in /healthz", async () => {
    const r = await slackRig();
    const b = await boltApp(r, () => undefined);
    for (let i = 0; i < 20; i++) await post(b.url, 1000, "payload=", true);
    await until(() => bolt(r).length === 20, "Bolt refused the 20 requests");

    expect(b.app.signatures?.state()).toMatchObject({
      refused: 20,
      refusedFor: { signature: 0, stale: 0, unsigned: 0, malformed: 20, tooLarge: 0 },
    });
    const said = r.logs.lines().filter((line) => Number(line.level) >= 30);
    expect(said.map((line) => [line.level, line.msg])).toEqual([
      [
        30,
        expect.stringMatching(
          /^requests at \/slack\/events refused unread \(1 since \S+\): the sender hung up before the body was whole, or sent one that could not be read; Slack sends whole bodies$/,
        ),
      ],
    ]);
  });

  it("over 4 MB: refused with 413, said once, counted in /healthz", async () => {
    const r = await slackRig();
    const b = await boltApp(r, () => undefined);
    const over = "x".repeat(4 * 1024 * 1024 + 1);
    for (let i = 0; i < 3; i++) expect(await post(b.url, over.length, over, false)).toBe(413);

    expect(b.app.signatures?.state()).toMatchObject({
      refused: 3,
      refusedFor: { signature: 0, stale: 0, unsigned: 0, malformed: 0, tooLarge: 3 },
    });
    const said = r.logs.lines().filter((line) => Number(line.level) >= 30);
    expect(said.map((line) => [line.level, line.msg])).toEqual([
      [
        30,
        expect.stringMatching(
          /^requests at \/slack\/events refused for a body over 4 MB \(1 since \S+\): Slack's are far smaller$/,
        ),
      ],
    ]);
  });
});
