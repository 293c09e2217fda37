import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SimulatorOptions } from "../src/simulator/index.js";

const SIMULATOR = fileURLToPath(new URL("./simulator-process.ts", import.meta.url));

export interface SimulatorProcess {
  readonly url: string;
  readonly orgId: string;
  /** Someone of the organization who uses AI tools. */
  readonly email: string | undefined;
  /** Events the simulator has served so far. */
  served(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the simulator in a process of its own (bench/simulator-process.ts) and resolves once it
 * listens. It shares this machine's cores, which a remote Atlassian does not: `prepare` makes it
 * serialise its whole history first, so serving costs this machine little.
 */
export async function startSimulatorProcess(
  options: Omit<SimulatorOptions, "clock"> & { prepare?: boolean },
): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", SIMULATOR, JSON.stringify(options)], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const started = await new Promise<{ url: string; orgId: string; email?: string }>(
    (resolve, reject) => {
      child.once("message", resolve);
      child.once("exit", (code) => reject(new Error(`the simulator exited with ${String(code)}`)));
    },
  );
  return {
    url: started.url,
    orgId: started.orgId,
    email: started.email,
    served: () =>
      new Promise<number>((resolve) => {
        child.once("message", (m: { served: number }) => resolve(m.served));
        child.send("served");
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
