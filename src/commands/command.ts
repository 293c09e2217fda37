import type { ParseArgsConfig } from "node:util";

export interface CommandContext {
  readonly env: Record<string, string | undefined>;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: readonly string[];
}

/** One `mcp-activity <name>` command: its help and what it runs. Returns the exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage lines and option descriptions, shown by `mcp-activity <name> --help`. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  readonly positionals?: { readonly min: number; readonly max: number };
  run(args: ParsedArgs, context: CommandContext): Promise<number>;
}
