import { describe, expect, it } from "vitest";
import { CSV_HEADER, csvField, csvLines } from "../../src/query/csv.js";
import { sparkline } from "../../src/query/sparkline.js";
import { mcpEvent, T0 } from "../detect/fixtures.js";

describe("CSV", () => {
  it("quotes commas, quotes and line breaks", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvField(null)).toBe("");
  });

  it("defuses values a spreadsheet would run as formulas", () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@sum")).toBe("'@sum");
    // Behind control characters (the terminal's output drops them) or spaces.
    expect(csvField("\u0007=1+1")).toBe("'\u0007=1+1");
    expect(csvField("\u001b\u009b+cmd")).toBe("'\u001b\u009b+cmd");
    expect(csvField("  =1+1")).toBe("'  =1+1");
    expect(csvField("\tplain")).toBe("'\tplain");
    expect(csvField("a=1")).toBe("a=1");
  });

  it("writes a header and one row per event", () => {
    const lines = [...csvLines([[mcpEvent({ resource: "Runbook, v2" })]])];
    expect(lines[0]).toBe(`${CSV_HEADER.join(",")}\r\n`);
    expect(lines[1]).toBe(
      `${new Date(T0).toISOString()},Alice Example,alice@example.com,getJiraIssue,read,jira,"Runbook, v2",acme.atlassian.net,203.0.113.10,Germany,oauth,Claude,rovo_mcp_tool_called,ev-100,,false\r\n`,
    );
  });
});

describe("sparkline", () => {
  it("scales to the busiest bucket", () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe("▁▂▃▅█");
    expect(sparkline([0, 0, 0])).toBe("▁▁▁");
    expect(sparkline([])).toBe("");
  });
});
