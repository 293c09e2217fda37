import { UsageError } from "../errors.js";
import { startSimulator } from "../simulator/index.js";
import { quotedVisibly } from "../terminal-text.js";
import { DAY } from "../time-units.js";
import type { Command } from "./command.js";
import { wholeOption as whole } from "./options.js";

export const simulateCommand: Command = {
  name: "simulate",
  summary: "serve a synthetic organization's audit log on 127.0.0.1 (for trying things out)",
  help: `Usage: mcp-activity simulate [--port N] [--seed S] [--days D] [--every SECONDS]
                             [--people N] [--profile realistic|steady] [--api-key KEY]

Serves a fake Atlassian organizations API (orgs, event-actions, events-stream, events/{id}) for a
synthetic organization: people and service accounts using AI tools through the Rovo MCP server,
settings changes and ordinary noise. It has --days of history and a new event every --every
seconds. Point ATLASSIAN_API_BASE_URL at it with the org id and key it prints.

Options:
  --port N           port on 127.0.0.1 (default 4010; 0 picks a free one)
  --seed S           which synthetic organization (default 1)
  --days D           days of history (default 7)
  --every SECONDS    seconds between events (default 2 realistic, 20 steady)
  --people N         people in the organization (default 30)
  --profile P        realistic (default): working days, quiet nights and weekends, a company's
                     rates and a few seeded incidents; steady: every hour alike and busy
  --api-key KEY      the key it accepts (default sim-key)`,
  options: {
    port: { type: "string" },
    seed: { type: "string" },
    days: { type: "string" },
    every: { type: "string" },
    people: { type: "string" },
    profile: { type: "string" },
    "api-key": { type: "string" },
  },
  async run({ values }, { stdout }) {
    const port = whole(values.port, "port", 4010, 0, 65_535);
    const seed = whole(values.seed, "seed", 1, 0, 2 ** 31);
    const days = whole(values.days, "days", 7, 0, 180);
    const profile = values.profile ?? "realistic";
    if (profile !== "realistic" && profile !== "steady")
      throw new UsageError(
        `--profile must be realistic or steady, not ${quotedVisibly(String(profile).slice(0, 40))}`,
      );
    const everySeconds = whole(values.every, "every", profile === "realistic" ? 2 : 20, 1, 86_400);
    const people = whole(values.people, "people", 30, 1, 10_000);
    const apiKey = typeof values["api-key"] === "string" ? values["api-key"] : "sim-key";
    if (apiKey.trim() === "")
      throw new UsageError("--api-key must not be empty: give the key the simulator accepts");
    const intervalMs = everySeconds * 1000;
    const now = Date.now();
    const sim = await startSimulator({
      apiKey,
      port,
      seed,
      intervalMs,
      people,
      profile,
      start: now - days * DAY,
    });
    stdout.write(
      `Simulated Atlassian organizations API at ${sim.url}\n` +
        `  ATLASSIAN_API_BASE_URL=${sim.url}\n  ATLASSIAN_ORG_ID=${sim.orgId}\n  ATLASSIAN_API_KEY=${apiKey}\n` +
        `${sim.countValidEventsUpTo(now)} events of history, then one every ${everySeconds} s. Ctrl-C stops it.\n`,
    );
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    await sim.close();
    return 0;
  },
};
