/**
 * An alert counted in the hour's roll-up has no message of its own: the App Home lists those
 * before the alerts of their severity posted in the channel, the oldest first, and says truthfully
 * where the others are handled; handling one brings in the next. A more severe alert still comes
 * first.
 */
import { describe, expect, it } from "vitest";
import { CHANNEL } from "../setup.js";
import { homeRig, RESPONDER } from "./home-rig.js";

const buttonOf = (text: string, id: number) =>
  text.match(
    new RegExp(`"action_id":"alert_acknowledge","text":{[^}]*},"value":"(${id}\\.\\d+)"`),
  )?.[1];

describe("a busy hour's roll-up, more alerts open than the Home lists", () => {
  it("lists each roll-up alert with its buttons, the oldest first, the next once one is handled", async () => {
    const r = await homeRig();
    const posted = Array.from({ length: 10 }, () =>
      r.raise({ severity: "medium", ruleId: "mcp-new-scope" }),
    );
    const rolledUp = Array.from({ length: 21 }, () =>
      r.raise({ severity: "medium", ruleId: "mcp-new-scope" }),
    );
    await r.poster.drain();
    const rollup = r.slack
      .messages(CHANNEL)
      .find((m) => m.metadata?.event_type === "mcp_alert_rollup");
    const said = JSON.stringify(rollup?.blocks);
    expect(said).toContain("The App Home is where they are handled");
    // No button in the channel acts on a roll-up's alert.
    const channel = JSON.stringify(r.slack.messages(CHANNEL).map((m) => m.blocks ?? []));
    for (const id of rolledUp) expect(channel).not.toContain(`"value":"${id}.`);

    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    const listed = [...rolledUp, ...posted].filter((id) => buttonOf(home.text, id));
    expect(listed).toEqual(rolledUp.slice(0, 20));
    expect(home.text).toContain(
      "…and 11 more open alerts: 1 with no message of their own, listed here as those above are handled; 10 in the alert channel, each with its buttons.",
    );

    await r.homeClick("alert_acknowledge", RESPONDER, buttonOf(home.text, rolledUp[0] ?? 0) ?? "");
    const after = await r.homeOf(RESPONDER, 2);
    expect([...rolledUp, ...posted].filter((id) => buttonOf(after.text, id))).toEqual(
      rolledUp.slice(1),
    );
    expect(after.text).toContain(
      "…and 10 more open alerts: 10 in the alert channel, each with its buttons.",
    );
  });

  it("lists a high alert posted after them first, then the roll-up's, then the rest", async () => {
    const r = await homeRig();
    const posted = Array.from({ length: 10 }, () =>
      r.raise({ severity: "medium", ruleId: "mcp-new-scope" }),
    );
    const rolledUp = Array.from({ length: 20 }, () =>
      r.raise({ severity: "low", ruleId: "mcp-new-scope" }),
    );
    await r.poster.drain();
    const high = r.raise({ severity: "high" });
    await r.poster.drain();
    const channel = JSON.stringify(r.slack.messages(CHANNEL).map((m) => m.blocks ?? []));
    expect(channel).toContain(`"value":"${high}.`);
    for (const id of rolledUp) expect(channel).not.toContain(`"value":"${id}.`);

    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    // The alerts listed, in the order shown: the posted ones of a severity the newest first.
    const shown = [
      ...home.text.matchAll(/"action_id":"alert_acknowledge","text":{[^}]*},"value":"(\d+)\./g),
    ].map((m) => Number(m[1]));
    expect(shown).toEqual([high, ...posted.toReversed(), ...rolledUp.slice(0, 9)]);
    expect(home.text).toContain(
      "…and 11 more open alerts: 11 with no message of their own, listed here as those above are handled.",
    );
  });
});
