import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLAIN } from "../../src/console/render.js";
import { CONSOLE_CHANNEL } from "../../src/console/slack-api.js";
import { Terminal } from "../../src/console/terminal.js";
import { forTerminal } from "../../src/terminal-text.js";
import { tempDir } from "../helpers/tmp.js";

const ESC = "\u001b";

describe("the operator's terminal", () => {
  it("loses C0 and C1 control characters but tabs and line feeds", () => {
    expect(forTerminal(`a${ESC}]0;title\u0007b\tc\nd\u009be\u007f\r`)).toBe("a]0;titleb\tc\nde");
  });

  it("loses what Slack's text loses: bidirectional overrides and isolates, invisible characters", () => {
    expect(
      forTerminal("Eve \u202emoc.elpmaxe@eve\u202c \u2066x\u2069 A\u200bl\u2060e\ufeffx\u00ad"),
    ).toBe("Eve moc.elpmaxe@eve x Alex");
    // Emoji keep their joiners; right-to-left text its marks.
    expect(forTerminal("👩\u200d💻 \u200f\u05e9\u05dc\u05d5\u05dd")).toBe(
      "👩\u200d💻 \u200f\u05e9\u05dc\u05d5\u05dd",
    );
  });

  it("keeps a zero-width joiner a script shapes with: Sinhala, Devanagari, Malayalam, Bengali", () => {
    for (const name of ["ශ්\u200dරියානි", "क्\u200dषमा", "അന്\u200dവര്\u200d", "র\u200d্যাচেল"])
      expect(forTerminal(name)).toBe(name);
    expect(forTerminal("Alex\u200d Kim")).toBe("Alex Kim");
  });

  it("shows messages, private replies and files without them, saving files under fresh names", () => {
    let out = "";
    const dir = tempDir();
    const terminal = new Terminal({
      write: (text) => {
        out += text;
      },
      style: PLAIN,
      filesDir: dir,
      names: (id) => id,
    });
    const hostile = `Q3${ESC}[2J${ESC}]0;owned\u0007`;
    terminal.message(
      {
        channel: CONSOLE_CHANNEL,
        ts: "1.1",
        text: hostile,
        blocks: [{ type: "section", text: { type: "mrkdwn", text: hostile } }],
        threadTs: undefined,
        metadata: undefined,
      },
      "posted",
    );
    terminal.ephemeral({ text: hostile, blocks: [] });
    terminal.file(`a${ESC}[1m.csv`, Buffer.from("x"), hostile);
    terminal.file(`a${ESC}[1m.csv`, Buffer.from("y"), undefined);
    expect(out).toContain("Q3[2J]0;owned");
    expect(out).not.toContain(ESC);
    expect(out).not.toContain("\u0007");
    expect(readFileSync(join(dir, "1-a_1m.csv"), "utf8")).toBe("x");
    expect(readFileSync(join(dir, "2-a_1m.csv"), "utf8")).toBe("y");
    expect(existsSync(join(dir, "a_1m.csv"))).toBe(false);
  });

  it("knows which alerts it showed: only those have buttons to press", () => {
    const terminal = new Terminal({
      write: () => undefined,
      style: PLAIN,
      filesDir: tempDir(),
      names: (id) => id,
    });
    terminal.message(
      {
        channel: CONSOLE_CHANNEL,
        ts: "2.1",
        text: "alert",
        blocks: [
          {
            type: "actions",
            elements: [
              {
                type: "button",
                action_id: "alert_acknowledge",
                text: { type: "plain_text", text: "Acknowledge" },
                value: "7",
              },
            ],
          },
        ],
        threadTs: undefined,
        metadata: undefined,
      },
      "posted",
    );
    expect(terminal.shown("7")).toBe(true);
    expect(terminal.find("ack", "7")).toBeDefined();
    expect(terminal.shown("2")).toBe(false);
  });
});
