import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { WebClient } from "@slack/web-api";
import type { ActivityFilter } from "../../domain/activity.js";
import { csvLines } from "../../query/csv.js";
import type { ActivityStore } from "../../store/activity.js";
import { MINUTE } from "../../time-units.js";
import { nextTurn, timeBox } from "../../wait.js";

/** Rows an export holds at most; a last line says when more matched. */
const EXPORT_MAX_ROWS = 100_000;

/** How long the upload of an export's file may take. */
const UPLOAD_TIMEOUT_MS = 5 * MINUTE;

export interface ExportResult {
  readonly rows: number;
  readonly bytes: number;
  readonly capped: boolean;
}

/**
 * Writes the CSV of a query to a file of its own: only the CSV columns are read (never the raw
 * JSON), a window or chunk at a time, the event loop let in once a slice's time has passed, and
 * at most EXPORT_MAX_ROWS rows, so an export of a year of activity neither blocks the bot nor
 * fills its memory. A write that fails (a full disk) rejects, the file closed.
 */
export async function writeCsv(
  store: Pick<ActivityStore, "csvRows">,
  filter: ActivityFilter,
  path: string,
  maxRows = EXPORT_MAX_ROWS,
): Promise<ExportResult> {
  let rows = 0;
  let capped = false;
  async function* lines(): AsyncGenerator<string> {
    yield* csvLines([]);
    let sliceOver = timeBox();
    for (const chunk of limitRows(store.csvRows(filter), maxRows, () => (capped = true))) {
      for (const line of csvLines([chunk], false)) {
        rows++;
        yield line;
      }
      if (sliceOver()) {
        await nextTurn();
        sliceOver = timeBox();
      }
    }
    if (capped)
      yield `"More events matched than one export holds (${maxRows} rows): narrow the query with since:, until:, user: or tool: for the rest."\r\n`;
  }
  await pipeline(Readable.from(lines()), createWriteStream(path, { flags: "wx", mode: 0o600 }));
  return { rows, bytes: (await stat(path)).size, capped };
}

function* limitRows<T>(
  chunks: Iterable<readonly T[]>,
  max: number,
  onCap: () => void,
): Generator<readonly T[]> {
  let left = max;
  for (const chunk of chunks) {
    if (chunk.length > left) {
      yield chunk.slice(0, left);
      onCap();
      return;
    }
    left -= chunk.length;
    yield chunk;
  }
}

/**
 * Sends a file to a person by direct message, its bytes streamed from disk to Slack's upload
 * URL (files.getUploadURLExternal, the upload, files.completeUploadExternal): never whole in
 * memory. The Web API calls go through the app's client, so they obey the workspace's pauses.
 */
export async function sendFile(
  client: WebClient,
  o: { user: string; path: string; filename: string; comment: string },
): Promise<void> {
  const dm = await client.conversations.open({ users: o.user });
  const channel = dm.channel?.id;
  if (!channel) throw new Error("conversations.open gave no channel");
  const { size } = await stat(o.path);
  const reserved = await client.files.getUploadURLExternal({ filename: o.filename, length: size });
  if (!reserved.upload_url || !reserved.file_id) throw new Error("no upload URL was given");
  const body = Readable.toWeb(createReadStream(o.path)) as ReadableStream<Uint8Array>;
  const response = await fetch(reserved.upload_url, {
    method: "POST",
    headers: { "content-type": "application/octet-stream", "content-length": String(size) },
    body,
    duplex: "half",
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  } as RequestInit);
  if (!response.ok) throw new Error(`the upload answered HTTP ${response.status}`);
  await client.files.completeUploadExternal({
    files: [{ id: reserved.file_id, title: o.filename }],
    channel_id: channel,
    initial_comment: o.comment,
  });
}

/** A fresh folder of its own for one export; removed with what it holds. */
export async function withExportFolder<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "mcp-activity-export-"));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
