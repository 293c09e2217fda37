import { type SimulatorOptions, startSimulator } from "../src/simulator/index.js";

/**
 * A benchmark's Atlassian: the simulator in a process of its own, as the real one is outside the
 * bot's process and the one sending it requests. Its one argument is the simulator's options as
 * JSON, with `prepare: true` to serialise the whole history before it says where it listens (see
 * EventStream.prepareUpTo). It answers "served" with the events it has served so far, over the
 * IPC channel.
 */
const { prepare, ...options } = JSON.parse(process.argv[2] ?? "{}") as SimulatorOptions & {
  prepare?: boolean;
};
const sim = await startSimulator(options);
if (prepare) sim.stream.prepareUpTo(Date.now());
const someone = sim.org.roster.people.find((p) => p.mcpSince !== null);
process.send?.({ url: sim.url, orgId: sim.orgId, email: someone?.email });
process.on("message", (message) => {
  if (message === "served") process.send?.({ served: sim.countValidEventsUpTo(Date.now()) });
});
process.once("SIGTERM", () => {
  void sim.close().then(() => process.exit(0));
});
