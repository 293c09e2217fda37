/**
 * An `org:` that names several watched organizations, or none, is answered with the list of them
 * to choose from by id: every one, whatever the length of their ids and names (Atlassian admins
 * choose the names: escaped).
 */
import { afterEach, expect, it } from "vitest";
import { command, type Rig, startRig } from "./rig.js";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const IDS = [
  "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  "9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f",
  "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
  "7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a0b",
];

type Section = { type: string; text?: { text: string } };

it("the reply to an org: that names several, or none, lists every organization's id", async () => {
  rig = await startRig({ ids: IDS, names: ["Acme EU", "Acme *Labs* <!here>", "Acme", "Acme"] });
  for (const text of ["org:acme since:1d", "settings org:acme", "org:typo since:1d"]) {
    const answer = await rig.send("slash_commands", command(text));
    const blocks = (answer.payload as { blocks: Section[] }).blocks;
    const shown = blocks.map((b) => b.text?.text ?? "").join("\n");
    // The two called "Acme", to choose between by id, and every other one watched.
    for (const id of IDS) expect(shown, `${text}: ${id}`).toContain(id);
    expect(shown).toContain(`• Acme (${IDS[2]})`);
    expect(shown).toContain(`• Acme ∗Labs∗ &lt;!here&gt; (${IDS[1]})`);
    expect(shown).not.toContain("<!here>");
    for (const b of blocks) expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
  }
}, 120_000);
