import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import { loadRulesFile } from "./detect/rules-file.js";
import { type HealthReport, healthHandler, listen } from "./http-server.js";
import { createPoller } from "./ingest/create-poller.js";
import type { Logger } from "./logger.js";
import { type Db, openStore } from "./store/open.js";
import { VERSION } from "./version.js";

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
}

export interface RunningApp {
  readonly port: number;
  /** Stops taking work, lets running work finish, closes the database. */
  stop(): Promise<void>;
}

function databaseOk(db: Db): boolean {
  try {
    return db.prepare("SELECT 1 AS ok").get() !== undefined;
  } catch {
    return false;
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The composition root: builds every dependency once and starts the loops. No logic here. */
export async function startApp({ config, logger, clock }: AppDeps): Promise<RunningApp> {
  const rules = loadRulesFile(config.rulesFile);
  const db = openStore(config.databasePath);
  const startedAt = clock.now();
  const { poller } = createPoller(config, { db, clock, logger, rules });

  const report = (): HealthReport => {
    const dbOk = databaseOk(db);
    const polling = poller.health();
    const healthy = dbOk && polling.healthy;
    return {
      healthy,
      body: {
        status: healthy ? "ok" : "unhealthy",
        version: VERSION,
        uptimeSeconds: Math.round((clock.now() - startedAt) / 1000),
        database: { ok: dbOk },
        poller: {
          ok: polling.healthy,
          lastSuccessfulPoll: iso(polling.lastSuccessAt),
          lagSeconds: polling.lagSeconds,
          eventsStored: polling.eventsStored,
          mcpEventsStored: polling.mcpEventsStored,
          quarantined: polling.quarantined,
          mcpActionKeys: polling.mcpActionKeys,
          apiKeyRejected: polling.keyRejected,
          lastError: polling.lastError && { ...polling.lastError, at: iso(polling.lastError.at) },
        },
      },
    };
  };
  const server = await listen(config.port, { "/healthz": healthHandler(report) });
  logger.info(
    { port: server.port, version: VERSION },
    `mcp-activity ${VERSION} listening on port ${server.port}`,
  );

  const stopping = new AbortController();
  const polling = poller.run(stopping.signal);

  return {
    port: server.port,
    stop: async () => {
      stopping.abort();
      await polling;
      await server.close();
      db.close();
    },
  };
}
