import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import { type HealthReport, healthHandler, listen } from "./http-server.js";
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

/** The composition root: builds every dependency once and starts the loops. No logic here. */
export async function startApp({ config, logger, clock }: AppDeps): Promise<RunningApp> {
  const db = openStore(config.databasePath);
  const startedAt = clock.now();

  const report = (): HealthReport => {
    const dbOk = databaseOk(db);
    return {
      healthy: dbOk,
      body: {
        status: dbOk ? "ok" : "unhealthy",
        version: VERSION,
        database: { ok: dbOk },
        uptimeSeconds: Math.round((clock.now() - startedAt) / 1000),
      },
    };
  };
  const server = await listen(config.port, { "/healthz": healthHandler(report) });
  logger.info(
    { port: server.port, version: VERSION },
    `mcp-activity ${VERSION} listening on port ${server.port}`,
  );

  return {
    port: server.port,
    stop: async () => {
      await server.close();
      db.close();
    },
  };
}
