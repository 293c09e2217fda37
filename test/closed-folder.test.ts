import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { closedFolderOn, closedFolderProblem } from "../src/closed-folder.js";
import { parseConfig } from "../src/config.js";
import type { ConfigError } from "../src/errors.js";
import { loadRulesFile } from "../src/load-rules.js";
import { tempDir } from "./helpers/tmp.js";

describe("a file behind a folder this user may not enter", () => {
  it("finds the first folder on the path that does not open", () => {
    const entered: string[] = [];
    const closed = closedFolderOn("/etc/mcp-activity/rules.yml", (folder) => {
      entered.push(folder);
      return folder !== "/etc/mcp-activity";
    });
    expect(closed).toBe("/etc/mcp-activity");
    expect(entered).toEqual(["/", "/etc", "/etc/mcp-activity"]);
    expect(closedFolderOn("/etc/mcp-activity/rules.yml", () => true)).toBeUndefined();
    expect(closedFolderOn("/a/b/c/f", (folder) => folder === "/")).toBe("/a");
  });

  it("names the folder and the user", () => {
    expect(closedFolderProblem("/etc/mcp-activity", 998)).toBe(
      "/etc/mcp-activity is not open to this user (uid 998): let it enter the folder (for example owned by root and the service's group, mode 0750), or keep the file elsewhere",
    );
    expect(closedFolderProblem("/etc/mcp-activity", undefined)).toContain(
      "/etc/mcp-activity is not open to this user: let it enter",
    );
  });

  // As root, permissions do not apply: run as another user to see this one pass.
  it.skipIf(process.getuid?.() === 0)(
    "says so for RULES_FILE and a *_FILE secret, naming the folder",
    () => {
      const folder = join(tempDir(), "etc");
      mkdirSync(folder);
      const rules = join(folder, "rules.yml");
      const key = join(folder, "atlassian_api_key");
      writeFileSync(rules, "minSeverity: high\n");
      writeFileSync(key, "SECRET-7\n");
      chmodSync(folder, 0o000);
      try {
        const uid = process.getuid?.();
        expect(() => loadRulesFile(rules)).toThrow(
          `RULES_FILE ${rules} cannot be read: ${folder} is not open to this user (uid ${uid})`,
        );
        let problems: readonly string[] = [];
        try {
          parseConfig({
            ATLASSIAN_ORG_ID: "org-1",
            ATLASSIAN_API_KEY_FILE: key,
            SLACK_BOT_TOKEN: "xoxb-bot-1",
            SLACK_SIGNING_SECRET: "signing-1",
            SLACK_ALERT_CHANNEL: "C0123ABCD",
          });
        } catch (error) {
          problems = (error as ConfigError).problems;
        }
        expect(problems).toEqual([
          `ATLASSIAN_API_KEY_FILE points at ${key}, which cannot be read (EACCES): ${folder} is not open to this user (uid ${uid}): let it enter the folder (for example owned by root and the service's group, mode 0750), or keep the file elsewhere`,
        ]);
      } finally {
        chmodSync(folder, 0o700);
      }
    },
  );
});
