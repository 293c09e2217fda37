/** An error a listener lets through, after its request was acknowledged: said once, in our words. */
import { describe, expect, it } from "vitest";
import { until } from "../helpers/until.js";
import { boltApp } from "./bolt.js";
import { slackRig } from "./setup.js";

describe("an error a listener lets through", () => {
  it("is logged once by the app, with its cause, not only as Bolt's unhandled error", async () => {
    const r = await slackRig();
    const b = await boltApp(r, (app) =>
      app.command("/mcp-activity", async ({ ack }) => {
        await ack();
        throw Object.assign(new Error("the disk is full"), { code: "SQLITE_FULL" });
      }),
    );
    expect((await b.command("help", "UALICE")).status).toBe(200);
    const said = () => r.logs.lines().filter((l) => (l.level as number) >= 40);
    await until(() => said().length > 0, "the failure logged");
    expect(said()).toEqual([
      expect.objectContaining({
        level: 50,
        code: "SQLITE_FULL",
        msg: "a request from Slack failed after it was taken; the person may have seen no answer",
        err: expect.objectContaining({ message: "the disk is full" }),
      }),
    ]);
    expect(r.logs.text()).toContain("An unhandled error occurred after ack()"); // at debug
  });
});
