/**
 * Several organizations: views name them by the names the organizations API gives
 * (GET /admin/v1/orgs). After a restart, what is made before that list answers again (the
 * key-expiry warnings due at start) names them by the names it last gave, kept in the database,
 * and so does a restart while the list does not answer at all; the log says so.
 */
import { expect, it } from "vitest";
import { DAY } from "../../src/time-units.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { front } from "../helpers/front.js";
import { until } from "../helpers/until.js";
import { CHANNEL, startBot, startWorld } from "./rig.js";

const UNAVAILABLE = JSON.stringify({
  errors: [{ status: "503", code: "ADMIN-503", title: "Service Unavailable" }],
});

it("after a restart, the key-expiry warnings due at start name the organizations by the names kept, and the log says they are used", async () => {
  const world = await startWorld({ ids: ["org-alpha", "org-beta"], names: ["Alpha", "Beta"] });
  closeAfterTest(() => world.close());
  // The first start learns the names (the list is asked before the first poll).
  const first = await startBot(world);
  await first.app.stop();
  // The list of organizations no longer answers: the names can come from the database alone.
  const api = await front(world.apiUrl, (path) =>
    path.split("?")[0] === "/admin/v1/orgs" ? { status: 503, body: UNAVAILABLE } : undefined,
  );
  closeAfterTest(api.close);
  const expires = new Date(Date.now() + 5 * DAY).toISOString().slice(0, 10);
  const env = { ATLASSIAN_API_BASE_URL: api.url, ATLASSIAN_API_KEY_EXPIRES: expires };
  const bot = await startBot(world, { env, backfills: 0 });
  closeAfterTest(() => bot.app.stop());
  const warnings = () =>
    world.slack
      .messages(CHANNEL)
      .filter((m) => m.text.includes(`expires on ${expires}`))
      .map((m) => m.text);
  await until(() => warnings().length === 2, "both warnings", 20_000);
  expect(warnings().sort()).toEqual([
    expect.stringContaining("API key of *Alpha* (org-alpha) expires"),
    expect.stringContaining("API key of *Beta* (org-beta) expires"),
  ]);
  const unanswered = () =>
    bot.logs
      .text()
      .split("\n")
      .filter((l) => l.includes("is not checked against the organizations the key sees"));
  await until(() => unanswered().length === 2, "the unanswered list logged", 60_000);
  for (const line of unanswered()) {
    expect(line).toContain("the organization's name the list last gave is used meanwhile");
    expect(line).not.toContain("not known");
  }
}, 90_000);
