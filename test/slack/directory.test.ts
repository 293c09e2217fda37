import { describe, expect, it } from "vitest";
import { SlackDirectory } from "../../src/slack/directory.js";
import { MINUTE } from "../../src/time-units.js";
import { slackRig } from "./setup.js";

describe("Slack directory", () => {
  it("looks a user up once in five minutes, keeping only what the app reads", async () => {
    const r = await slackRig();
    r.slack.addUser({
      id: "UPAT",
      real_name: "Pat Example",
      email: "Pat@Example.com",
      tz: "Europe/Berlin",
    });
    const directory = new SlackDirectory({ client: r.client, clock: r.clock });
    const infos = () => r.slack.callsTo("users.info").length;
    const user = await directory.user("UPAT");
    expect(user).toMatchObject({
      id: "UPAT",
      tz: "Europe/Berlin",
      profile: { email: "Pat@Example.com" },
    });
    expect(JSON.stringify(user)).not.toContain("Pat Example");
    expect(await directory.emailOf("UPAT")).toBe("pat@example.com");
    expect(infos()).toBe(1);
    r.clock.advance(5 * MINUTE);
    await directory.emailOf("UPAT");
    expect(infos()).toBe(2);
    // Someone Slack does not know is remembered as such.
    expect(await directory.user("UNOBODY")).toBeUndefined();
    expect(await directory.emailOf("UNOBODY")).toBeNull();
    expect(infos()).toBe(3);
  });
});
