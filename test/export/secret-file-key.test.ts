/**
 * The key docs/export.md tells a receiver to check batches with, when the bot reads it from
 * EXPORT_SECRET_FILE: the file's content without the spaces and line breaks around it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { freshStore } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const DOCS = resolve(import.meta.dirname, "../../docs/export.md");

describe("EXPORT_SECRET_FILE with spaces around the value", () => {
  it("signs with the value alone, as docs/export.md tells the receiver", async () => {
    const docs = readFileSync(DOCS, "utf8").replace(/\s+/g, " ");
    const definition = docs.slice(docs.indexOf("The key is"), docs.indexOf("### Changing"));
    expect(definition).toContain(
      "the content of the file `EXPORT_SECRET_FILE` names without the spaces and line breaks (`\\n` or `\\r\\n`) around it",
    );
    const file = join(tempDir(), "export_secret");
    writeFileSync(file, " passphrase-with-32-characters-or-more \n", { mode: 0o600 });
    const receiver = await SiemReceiver.start("passphrase-with-32-characters-or-more");
    closeAfterTest(() => receiver.close());
    const config = parseConfig({
      ATLASSIAN_ORG_ID: "org-1",
      ATLASSIAN_API_KEY: "atlassian-key-SECRET-1",
      SLACK_BOT_TOKEN: "xoxb-bot-SECRET-2",
      SLACK_SIGNING_SECRET: "signing-SECRET-3",
      SLACK_ALERT_CHANNEL: "C0123ABCD",
      EXPORT_URL: receiver.url,
      EXPORT_SECRET_FILE: file,
    });
    const store = freshStore();
    store.transaction(() =>
      store.events.insertMany([mcpEvent({ id: "a" })], Date.UTC(2026, 10, 2, 11)),
    );
    const secret = config.export?.secret.reveal() ?? "";
    const clock = new VirtualClock();
    const exporter = exporterTo(receiver, secret, store, clock, capturedLogger("info").logger);
    await exporter.pass(new AbortController().signal);
    expect(receiver.batches.map((b) => b.verified)).toEqual([true]);
  });
});
