import { startSimulator } from "../src/simulator/index.js";

/**
 * The bench rig's Atlassian: the simulator in a process of its own, as the real one is outside
 * both the bot's process and the one sending it requests. Arguments: seed, org id, ms between
 * events, start (ms since the epoch). It says where it listens, and answers "served" with the
 * events it has served so far, over the IPC channel.
 */
const [seed, orgId, intervalMs, start] = process.argv.slice(2);
const sim = await startSimulator({
  apiKey: "rig-key",
  seed: Number(seed),
  orgId: orgId ?? "",
  intervalMs: Number(intervalMs),
  start: Number(start),
});
const someone = sim.org.roster.people.find((p) => p.mcpSince !== null);
process.send?.({ url: sim.url, email: someone?.email });
process.on("message", (message) => {
  if (message === "served") process.send?.({ served: sim.countValidEventsUpTo(Date.now()) });
});
process.once("SIGTERM", () => {
  void sim.close().then(() => process.exit(0));
});
