import { join } from "node:path";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { closeAfterTest } from "./cleanup.js";
import { tempDir } from "./tmp.js";

/**
 * A simulator frozen at the real time of the call, with `minutes` of history at one event a
 * minute, and the environment for the CLI to poll it into a fresh database.
 */
export async function simulatedOrg(
  minutes = 1000,
): Promise<{ sim: Simulator; env: Record<string, string>; path: string }> {
  const frozen = Date.now();
  const sim = await startSimulator({
    seed: 5,
    orgId: "org-cli",
    apiKey: "cli-key",
    start: frozen - (minutes - 1) * 60_000,
    intervalMs: 60_000,
    clock: { now: () => frozen },
  });
  closeAfterTest(() => sim.close());
  const path = join(tempDir(), "cli.db");
  const env = {
    ATLASSIAN_API_BASE_URL: sim.url,
    ATLASSIAN_ORG_ID: "org-cli",
    ATLASSIAN_API_KEY: "cli-key",
    DATABASE_PATH: path,
    LOG_LEVEL: "warn",
  };
  return { sim, env, path };
}
