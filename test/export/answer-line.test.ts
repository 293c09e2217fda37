/** The stop reason an operator reads (log, /healthz, status) says what the receiver answered. */
import { describe, expect, it } from "vitest";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";

/** The stop reason /healthz shows, and the log's error line, after the receiver answered so. */
async function refusedWith(
  status: number,
  body: string,
  headers: Record<string, string> = {},
  path = "",
) {
  const receiver = await SiemReceiver.start(SECRET);
  closeAfterTest(() => receiver.close());
  const s = freshStore();
  s.transaction(() => s.events.insertMany([mcpEvent({ id: "ev-a" })], Date.UTC(2026, 10, 2)));
  const logs = capturedLogger("info");
  const exporter = exporterTo(receiver, SECRET, s, new VirtualClock(), logs.logger, { path });
  receiver.answer({ status, body, headers });
  await exporter.pass(new AbortController().signal);
  const errors = logs.lines().filter((l) => l.level === 50);
  return { reason: String(exporter.section().stopped?.reason), log: String(errors[0]?.msg) };
}

describe("the reason a refusal is said with", () => {
  it("is an HTML page's title, not its first line `<html>`", async () => {
    const page =
      "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    const { reason, log } = await refusedWith(403, page, { "content-type": "text/html" });
    expect(reason).toBe("the receiver answered 403: 403 Forbidden");
    expect(log).toContain("export stopped: the receiver answered 403: 403 Forbidden.");
  });

  it("is a page's text, tags and scripts left out, when it has no title", async () => {
    const page =
      "<!DOCTYPE html>\n<html><head><style>h1 { color: red }</style><script>var a = 1;</script></head>\n<body>\n  <h1>Request blocked</h1>\n  <p>Rule 942100 &amp; 2 others matched</p>\n</body></html>";
    const { reason } = await refusedWith(406, page, { "content-type": "text/html" });
    expect(reason).toBe(
      "the receiver answered 406: Request blocked Rule 942100 & 2 others matched",
    );
  });

  it("is a pretty-printed JSON error on one line, not its first line `{`", async () => {
    const json =
      '{\n  "error": {\n    "type": "mapper_parsing_exception",\n    "reason": "failed to parse field [user]"\n  }\n}';
    const { reason } = await refusedWith(400, json, { "content-type": "application/json" });
    expect(reason).toBe(
      'the receiver answered 400: {"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [user]"}}',
    );
  });

  it("is a text's lines together, white space collapsed, and bounded", async () => {
    const { reason } = await refusedWith(400, "\n\nBad Request\n  missing header   X-Index\n");
    expect(reason).toBe("the receiver answered 400: Bad Request missing header X-Index");
    const long = await refusedWith(400, `${"word ".repeat(100)}\n`);
    expect(long.reason).toHaveLength("the receiver answered 400: ".length + 200);
    expect(long.reason.endsWith("…")).toBe(true);
  });

  it("says where a redirect points, without the address's query, credentials or token", async () => {
    const trailingSlash = await refusedWith(308, "", {
      location: "https://siem.example.com/ingest/",
    });
    expect(trailingSlash.reason).toBe(
      "the receiver answered 308, a redirect to https://siem.example.com/ingest/ (not followed: set EXPORT_URL to it if the receiver is there)",
    );
    // The token in EXPORT_URL's path, and the query and credentials of where it points, are left out.
    const token = "tok-abcdefgh1234";
    const moved = await refusedWith(
      301,
      "<html><head><title>301 Moved Permanently</title></head></html>",
      { location: `https://user:pass@siem.example.com/v2/${token}?key=hunter22` },
      `/${token}`,
    );
    expect(moved.reason).toBe(
      "the receiver answered 301, a redirect to https://siem.example.com/v2/… (not followed: set EXPORT_URL to it if the receiver is there): 301 Moved Permanently",
    );
    expect(moved.log).not.toMatch(/hunter22|user:pass|tok-abcdefgh1234/);
    // To EXPORT_URL with a slash added: the slash shows, in /healthz too (not cut as the address).
    const slash = await refusedWith(308, "", { location: "/ingest/" });
    expect(slash.reason).toMatch(
      /^the receiver answered 308, a redirect to http:\/\/127\.0\.0\.1:\d+\/ingest\/ \(not followed/,
    );
    const nowhere = await refusedWith(302, "");
    expect(nowhere.reason).toBe("the receiver answered 302, a redirect without a Location");
  });

  it.each([
    ["the docs' EXPORT_URL", "/mcp-activity"],
    ["Splunk HEC's path", "/services/collector/event"],
  ])(
    "says the whole path a redirect points to when EXPORT_URL's path is words (%s)",
    async (_, path) => {
      const { reason, log } = await refusedWith(308, "", { location: `/ingest${path}/` }, path);
      const said = new RegExp(
        `^the receiver answered 308, a redirect to http://127\\.0\\.0\\.1:\\d+/ingest${path}/ \\(not followed`,
      );
      expect(reason).toMatch(said);
      expect(log.replace(/^export stopped: /, "")).toMatch(said);
    },
  );

  it("hides EXPORT_URL's path where a part of it may be a token, whatever its letters", async () => {
    // A token of letters only, but with capitals (a collector's URL that is its own key).
    const token = "ZaVnCdhaVTnnhuoevsQmPk";
    const { reason } = await refusedWith(
      308,
      "",
      { location: `/ingest/receiver/http/${token}/` },
      `/receiver/http/${token}`,
    );
    expect(reason).toMatch(
      /^the receiver answered 308, a redirect to http:\/\/127\.0\.0\.1:\d+…\/ \(/,
    );
    expect(reason).not.toContain(token);
  });
});
