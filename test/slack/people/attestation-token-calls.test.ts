/**
 * Bob made 5 MCP calls with his account and 20 with an API token whose audit events name only
 * bob@example.com: 25 calls as him, as the digest and the responders' Home count him, over
 * minCalls (20), so the weekly check asks him about all of them. The outbox, the fake Slack, a
 * real SQLite file.
 */
import { expect, it } from "vitest";
import { attestationRig, BOB } from "./attestation-rig.js";

it("asks Bob about the week's calls made with a token naming his e-mail", async () => {
  const r = await attestationRig();
  r.calls(20, {
    userId: null,
    actorId: null,
    userName: null,
    actorName: null,
    userEmail: "bob@example.com",
    actorEmail: "bob@example.com",
    authKind: "api-token",
    authType: "api-token",
    clientApp: null,
  });
  await r.weekly().run();
  await r.settled();
  await r.poster.drain();
  expect(r.dm(BOB)).toHaveLength(1);
  expect(r.dm(BOB)[0]?.text).toContain("AI tools acted as you: 25 calls");
});
