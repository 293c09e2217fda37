/**
 * `/mcp-activity settings` lists each pattern muted now with an End button, and removes each
 * suppression with its Remove button: each ends its own row, not the other rows of the same rule
 * and person. Real Bolt, a signed click, the fake Slack, SQLite, the engine.
 */
import type * as types from "@slack/types";
import { expect, it } from "vitest";
import { muteBlocks } from "../../../src/slack/blocks/mutes.js";
import { suppressionBlocks } from "../../../src/slack/blocks/suppressions.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { twoStepOff } from "../../detect/engine-rig.js";
import { RESPONDER } from "../people/ask-rig.js";
import { CHANNEL } from "../setup.js";
import { judgingRig } from "./judging-rig.js";

/** The value of the button of the listed row that says `text`. */
function buttonOf(blocks: readonly types.KnownBlock[], text: string): string {
  const row = blocks.find(
    (b) => b.type === "section" && JSON.stringify(b.text ?? "").includes(text),
  ) as types.SectionBlock | undefined;
  const value = (row?.accessory as types.Button | undefined)?.value;
  if (value === undefined) throw new Error(`no button on the row saying ${text}`);
  return value;
}

it("End on the '(Bob only)' row leaves the row of Dana's every-subject mute running", async () => {
  const { a, judge } = await judgingRig();
  await judge(twoStepOff({ id: "acc-bob", name: "Bob" }, a.clock.now()));
  const [bob] = a.stores.alerts.list("org-1");
  if (!bob) throw new Error("no alert");
  // A mute of every subject of Dana's two-step-disabled, as one set before subjects were kept.
  a.stores.mutes.add(
    "org-1",
    {
      ruleId: "two-step-disabled",
      userKey: "acc-dana",
      until: a.clock.now() + 20 * DAY,
      reason: "snoozed: audit week",
    },
    "UOTHER",
    a.clock.now(),
  );
  const msg = a.slack
    .messages(CHANNEL)
    .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${bob.id}"`));
  const where = { channel: CHANNEL, ts: msg?.ts ?? "" };
  await a.click("alert_expected_mute", RESPONDER, String(bob.id), where);
  await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 0, 5000, "the update");
  await a.settled();
  const listed = a.stores.mutes.list(a.clock.now(), "org-1");
  expect(listed.map((m) => m.subjectLabel ?? null).sort()).toEqual(["Bob", null]);

  await a.click("alert_end_mute", RESPONDER, buttonOf(muteBlocks(listed), "(Bob only)"), where);
  await a.slack.waitFor(
    () => a.stores.mutes.list(a.clock.now(), "org-1").length < 2,
    5000,
    "the mute ended",
  );
  await a.settled();
  const after = a.stores.mutes.list(a.clock.now(), "org-1");
  expect(after.map((m) => m.reason)).toEqual(["snoozed: audit week"]);
  // The reply names what was ended.
  expect(a.thread(where.ts).at(-1)).toMatch(/ended the mute of .*\(Bob only\)/);
  // Dana turning 2SV off for Carla: the every-subject mute nobody ended keeps it quiet.
  a.clock.advance(HOUR);
  expect(
    a.stores.mutes.reasonAt("org-1", "two-step-disabled", "acc-dana", a.clock.now(), {
      subject: "acc-carla",
    }),
  ).toBeDefined();
}, 60_000);

it("Remove on the '(Bob only)' suppression leaves Dana's every-subject suppression", async () => {
  const { a, judge } = await judgingRig();
  await judge(twoStepOff({ id: "acc-bob", name: "Bob" }, a.clock.now()));
  const [bob] = a.stores.alerts.list("org-1");
  if (!bob) throw new Error("no alert");
  const base = { ruleId: "two-step-disabled", userKey: "acc-dana", alertId: bob.id };
  // One added before subjects were kept (every subject), then one of Bob alone.
  a.stores.suppressions.add("org-1", { ...base, reason: "audit week" }, "UOTHER", a.clock.now());
  a.stores.suppressions.add(
    "org-1",
    { ...base, subject: "acc-bob", subjectLabel: "Bob", reason: "Bob's lost phone" },
    "UOTHER",
    a.clock.now(),
  );
  const msg = a.slack
    .messages(CHANNEL)
    .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${bob.id}"`));
  const where = { channel: CHANNEL, ts: msg?.ts ?? "" };
  const listed = a.stores.suppressions.list("org-1");
  const value = buttonOf(suppressionBlocks(listed), "(Bob only)");
  await a.click("alert_remove_suppression", RESPONDER, value, where);
  await a.slack.waitFor(
    () => a.stores.suppressions.list("org-1").length < 2,
    5000,
    "the suppression removed",
  );
  await a.settled();
  expect(a.stores.suppressions.list("org-1").map((s) => s.reason)).toEqual(["audit week"]);
  expect(a.thread(where.ts).at(-1)).toMatch(/removed the suppression of .*\(Bob only\)/);
}, 60_000);
