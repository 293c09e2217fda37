/**
 * The question to the person about an alert whose group grew and was retitled before it was
 * asked: it shows the call its title names, as the alert's message does, not its first call.
 */
import { expect, it } from "vitest";
import type { Alert } from "../../../src/domain/alert.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { askRig } from "./ask-rig.js";

it("asks about the call the alert's title names once it was retitled", async () => {
  const a = await askRig();
  const id = a.raise({ ruleId: "mcp-first-use", severity: "medium" }, { resource: "OPS-1" });
  // A call on HR-7 joins the group and gives the alert its title.
  const call = normalizedEvent({ id: "ev-hr", resource: "HR-7" });
  a.stores.events.insertMany([call], T0);
  const alert = a.alerts.get(id) as Alert;
  const title = "First MCP call by p1@example.com, on HR-7";
  a.alerts.grow(
    alert,
    {
      seq: a.stores.events.maxSeq("org-1"),
      title,
      time: alert.firstSeen + 60_000,
      late: false,
      tools: alert.tools,
      severity: "medium",
      notify: true,
      retitle: { title, detail: {} },
    },
    a.clock.now(),
  );
  await a.poster.drain();
  await a.pass();
  const question = JSON.stringify(a.dm()[0]?.blocks);
  expect(question).toContain("HR-7");
  expect(question).not.toContain("OPS-1");
});
