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

  it.each([
    ["another company's member of a shared channel", { team_id: "T0OTHER" }, "another-workspace"],
    [
      "another company's deactivated member",
      { team_id: "T0OTHER", deleted: true },
      "another-workspace",
    ],
    ["an unconfirmed address", { is_email_confirmed: false }, "unconfirmed"],
    ["a bot", { is_bot: true }, "bot"],
    ["an app's user", { is_app_user: true }, "bot"],
    ["a deactivated account", { deleted: true }, "deactivated"],
  ])(
    "does not take %s for the person the e-mail names, and says why",
    async (_label, flags, not) => {
      const r = await slackRig();
      r.slack.addUser({ id: "UODD", email: "alice@example.com", tz: "Asia/Tokyo", ...flags });
      const directory = new SlackDirectory({ client: r.client, clock: r.clock });
      expect(await directory.self("UODD")).toMatchObject({
        email: null,
        user: { tz: "Asia/Tokyo" },
      });
      expect(await directory.userIdOf("alice@example.com")).toBeNull();
      expect(await directory.reach("alice@example.com")).toEqual({ not });
      // Their e-mail is still what Slack says, for a responder's question about them.
      expect(await directory.emailOf("UODD")).toBe("alice@example.com");
    },
  );

  it("takes a person of this workspace, a guest too, for the person their e-mail names", async () => {
    const r = await slackRig();
    r.slack.addUser({ id: "UALICE", email: "Alice@Example.com" });
    r.slack.addUser({ id: "UGUEST", email: "guest@example.com", is_restricted: true });
    const directory = new SlackDirectory({ client: r.client, clock: r.clock });
    expect((await directory.self("UALICE")).email).toBe("alice@example.com");
    expect(await directory.userIdOf("alice@example.com")).toBe("UALICE");
    expect(await directory.reach("nobody@example.com")).toEqual({ not: "absent" });
    expect((await directory.self("UGUEST")).email).toBe("guest@example.com");
  });
});
