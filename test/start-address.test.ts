import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOT_ENV, CLI, childEnv, collect, runCli } from "./helpers/cli.js";
import { tempDir } from "./helpers/tmp.js";

// A bad HOST or PORT is a configuration error: exit 2, which the systemd unit does not restart
// into (RestartPreventExitStatus=2), said before the database is created or migrated.

/** The lowest port a process without privileges may listen on (1024 unless lowered). */
function unprivilegedPortStart(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start", "utf8"));
  } catch {
    return 1024;
  }
}

describe("start with an address it can never listen on", () => {
  it.each([
    [
      "an address of no interface of this machine",
      "10.255.255.1",
      "HOST 10.255.255.1 is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its own addresses",
    ],
    ["a host name no label may spell", "-bad-.example", "HOST must be an address to listen on"],
    ["an address with a port", "0.0.0.0:3000", "HOST must be an address to listen on"],
  ])(
    "refuses %s with exit 2 naming HOST, before the database is created",
    async (_, host, says) => {
      const path = join(tempDir(), "db", "mcp-activity.db");
      const done = await runCli(["start"], { ...BOT_ENV, HOST: host, DATABASE_PATH: path });
      expect(done.stderr).toContain(says);
      expect(done.code, done.stderr).toBe(2);
      expect(existsSync(path)).toBe(false);
    },
    30_000,
  );

  it.skipIf(process.platform !== "linux" || unprivilegedPortStart() <= 80)(
    "refuses a port that needs privileges with exit 2 naming PORT, before the database is created",
    async () => {
      const path = join(tempDir(), "db", "mcp-activity.db");
      const env = childEnv({ ...BOT_ENV, PORT: "80", HOST: "127.0.0.1", DATABASE_PATH: path });
      // As root every port is allowed: the start runs as nobody, who may not even write the folder.
      const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const done = await collect(spawn(process.execPath, [CLI, "start"], { env, ...asNobody }));
      expect(done.stderr).toContain(
        "PORT 80 needs privileges on 127.0.0.1: choose a port above 1023 with PORT",
      );
      expect(done.code, done.stderr).toBe(2);
      expect(existsSync(path)).toBe(false);
    },
    30_000,
  );
});
