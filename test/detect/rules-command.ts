import { rulesCommand } from "../../src/commands/rules.js";

/** A stream that keeps what is written to it. */
function kept() {
  const stream = {
    text: "",
    write(text: string) {
      stream.text += text;
      return true;
    },
  };
  return stream;
}

/** Runs `mcp-activity rules <args…>` in this process: its exit code, stdout and stderr. */
export async function rules(
  positionals: string[],
  env: Record<string, string>,
  values: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const [stdout, stderr] = [kept(), kept()];
  const code = await rulesCommand.run(
    { values, positionals } as never,
    {
      env,
      stdout,
      stderr,
    } as never,
  );
  return { code, out: stdout.text, err: stderr.text };
}
