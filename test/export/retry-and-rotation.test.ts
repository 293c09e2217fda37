/**
 * What docs/export.md tells an operator about a retry (the records first refused, and any stored
 * since) and about changing EXPORT_SECRET without stopping the export.
 */
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { ExportClient } from "../../src/export/client.js";
import { targetFingerprint } from "../../src/export/sign.js";
import { Exporter } from "../../src/export/worker.js";
import { Secret } from "../../src/secret.js";
import { mcpEvent } from "../detect/fixtures.js";
import { type ReceivedBatch, SiemReceiver, verify } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { freshStore } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const OLD = "old-s3cret-for-the-export-test-0123456789abcdef";
const NEW = "new-s3cret-for-the-export-test-fedcba9876543210";

type Store = ReturnType<typeof freshStore>;

function store(s: Store, ids: string[], at = Date.UTC(2026, 10, 2, 11)): void {
  s.transaction(() =>
    s.events.insertMany(
      ids.map((id) => mcpEvent({ id })),
      at,
    ),
  );
}

async function receiver(secret: string) {
  const r = await SiemReceiver.start(secret);
  closeAfterTest(() => r.close());
  return r;
}

describe("a retry", () => {
  it("sends the records refused first, and any stored since: a batch that grows, said so in the log", async () => {
    const r = await receiver(OLD);
    const s = freshStore();
    const clock = new VirtualClock();
    const logs = capturedLogger("info");
    const exporter = exporterTo(r, OLD, s, clock, logs.logger);
    const signal = new AbortController().signal;
    store(s, ["a", "b"]);
    r.answer({ status: 503, body: "collector restarting" }, { status: 503 });
    await exporter.pass(signal);
    store(s, ["c", "d", "e"]);
    clock.advance(60_000);
    await exporter.pass(signal);
    store(s, ["f"]);
    clock.advance(60_000);
    await exporter.pass(signal);
    expect(r.batches.map((b) => [b.status, b.records.map((x) => x.id)])).toEqual([
      [503, ["a", "b"]],
      [503, ["a", "b", "c", "d", "e"]],
      [200, ["a", "b", "c", "d", "e", "f"]],
    ]);
    const warned = logs.lines().filter((l) => l.level === 40);
    expect(String(warned[0]?.msg)).toMatch(
      /^export: the receiver answered 503: collector restarting; sending again in 1 s the same records first, and any stored since, and from then on with backoff until it takes them$/,
    );
  });
});

describe("a new EXPORT_SECRET", () => {
  it("goes on without a stop while the receiver accepts the old and the new secret; the key is the file's text without its trailing line break", async () => {
    const r = await receiver(NEW);
    const s = freshStore();
    const clock = new VirtualClock();
    const logs = capturedLogger("info");
    const file = join(tempDir(), "export_secret");
    /** The bot as started with the secret file holding `secret`. */
    const start = (secret: string) => {
      writeFileSync(file, `${secret}\n`);
      chmodSync(file, 0o600);
      const config = parseConfig({
        ATLASSIAN_ORG_ID: "org-1",
        ATLASSIAN_API_KEY: "atlassian-key-SECRET-1",
        SLACK_BOT_TOKEN: "xoxb-bot-SECRET-2",
        SLACK_SIGNING_SECRET: "signing-SECRET-3",
        SLACK_ALERT_CHANNEL: "C0123ABCD",
        EXPORT_URL: r.url,
        EXPORT_SECRET_FILE: file,
      });
      const { url, secret: key } = config.export ?? { url: "", secret: new Secret("") };
      return new Exporter({
        store: s.export,
        client: new ExportClient({ url, secret: key, clock }),
        orgIds: ["org-1"],
        target: targetFingerprint(url, key.reveal()),
        origin: new URL(url).origin,
        clock,
        logger: logs.logger,
        random: () => 1,
      });
    };
    const signal = new AbortController().signal;
    const signedWith = (b: ReceivedBatch) =>
      [OLD, NEW].filter((key) => verify(key, b.timestamp ?? "", b.body, b.signature ?? ""));

    // 1. The receiver accepts both; the bot still signs with the old one.
    store(s, ["a"]);
    await start(OLD).pass(signal);
    // 2. The file holds the new secret and the bot restarts.
    store(s, ["b"]);
    const restarted = start(NEW);
    await restarted.pass(signal);
    // 3. Every batch was taken; from the restart on, the new secret alone checks them.
    expect(r.batches.map((b) => [b.status, b.records.map((x) => x.id), signedWith(b)])).toEqual([
      [200, ["a"], [OLD]],
      [200, ["b"], [NEW]],
    ]);
    expect(restarted.section()).toMatchObject({ ok: true, stopped: null });
  });
});
