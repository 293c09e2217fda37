import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Logger } from "../logger.js";
import type { Db } from "./db.js";
import { emptyLog } from "./empty-log.js";
import type { FileIdentity } from "./file-identity.js";

/** What the main connection checkpoints at when no checkpointer runs (see openStore). */
const AUTOCHECKPOINT_PAGES = 8192;

/** Frames of the log past which it is to be started again from its beginning (16 MiB). */
const RESTART_FRAMES = 4096;

/** Frames a pass may find new and still leave the bot's connection little to copy. */
const SETTLED_FRAMES = 64;

/** How long a writer that keeps up with the thread writes on after a pass before waiting again. */
const KEEP_UP_MS = 100;

/** A writer that asked to keep up less than this long ago still writes (see keepUp). */
const KEEPING_UP_MS = 1_000;

/**
 * The checkpointer's thread: its own connection copies the write-ahead log into the database
 * file every `everyMs` (PASSIVE: it never waits for, nor blocks, a reader or the writer). Past
 * RESTART_FRAMES, passes follow each other until one finds almost nothing new (`settled`). The
 * code is evaluated (CommonJS) rather than loaded from a file, so that it runs the same from
 * `dist/` and from the sources.
 */
const THREAD = `
const { statSync } = require("node:fs");
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
// Opened by path: a file restored over it since the bot opened it is not to be read, nor the old
// log beside it copied into it. Nothing is read before this.
const file = workerData.file;
const now = file && statSync(workerData.path, { throwIfNoEntry: false });
if (file && !(now && now.dev === file.dev && now.ino === file.ino)) {
  db.close();
  throw new Error("the file at DATABASE_PATH is no longer the one the bot opened");
}
db.pragma("busy_timeout = 5000");
const pass = (asked) => {
  try {
    let [result] = db.pragma("wal_checkpoint(PASSIVE)");
    let settled = false;
    for (let i = 0; i < 8 && !settled && result.log >= workerData.restartFrames && result.checkpointed === result.log; i++) {
      const [again] = db.pragma("wal_checkpoint(PASSIVE)");
      settled = again.log - result.log <= workerData.settledFrames;
      result = again;
    }
    parentPort.postMessage({ kind: "pass", log: result.log, checkpointed: result.checkpointed, settled, asked });
  } catch (error) {
    parentPort.postMessage({ kind: "failed", why: String(error && error.message), asked });
  }
};
// Read at once, before it says it is ready: its connection then holds the log and shared memory
// the bot's has, and never opens them by path again (a restored file would get new ones).
try {
  db.pragma("schema_version");
} catch (error) {
  parentPort.postMessage({ kind: "failed", why: String(error && error.message) });
}
const timer = setInterval(() => pass(false), workerData.everyMs);
parentPort.on("message", (message) => {
  if (message === "pass") return pass(true);
  clearInterval(timer);
  pass(false);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ kind: "ready" });
`;

export interface CheckpointPass {
  /** Frames in the write-ahead log, and how many of them are now in the database file. */
  readonly log: number;
  readonly checkpointed: number;
}

export interface Checkpointer {
  /** Settled once the thread has read the file (or has failed, and the connection checkpoints). */
  readonly ready: Promise<void>;
  /**
   * Empties the write-ahead log (see emptyLog): the thread copies it first, then the bot's own
   * connection copies what was written since and truncates it, so that no write of the bot meets
   * the lock a truncating checkpoint holds (a transaction that read before it writes would fail
   * at once, SQLITE_BUSY, its wait not allowed). False when it cannot be done now.
   */
  emptyLog(): Promise<boolean>;
  /**
   * For a writer that writes without pause (a first retention pass deleting a year): settles at
   * once while it wrote for less than 100 ms since the last pass it waited for, else once the
   * thread has checkpointed what it wrote. The log then starts again from its beginning at its
   * next write instead of growing to gigabytes, which the write that starts it again would cut
   * back on the bot's thread, for seconds.
   */
  keepUp(): Promise<void>;
  /** Runs a last checkpoint and ends the thread; the connection checkpoints by itself again. */
  stop(): Promise<void>;
}

/**
 * Moves SQLite's checkpoints off the event loop. A checkpoint writes every page the log holds
 * into the database file and syncs it: on a store of a million events about 100 ms for each
 * 32 MB of log, run by whichever commit fills it, on the thread that answers Slack and /healthz.
 * With a checkpointer the bot's connection stops checkpointing (`wal_autocheckpoint = 0`) and a
 * thread does it every half second; the bot's connection only copies the few frames a log past
 * 16 MiB still holds once the thread has all but caught up, so that its next write starts the log
 * again (under a backfill's writes it grew to 15 times the database without). A checkpoint that fails (a full disk) is said once and tried
 * again at the next pass. When the thread itself fails, the connection checkpoints by itself
 * again and the failure is logged: the log never grows unbounded.
 */
export function startCheckpointer(
  db: Db,
  o: {
    readonly logger: Logger;
    readonly everyMs?: number;
    /** Told after each checkpoint. */
    readonly onPass?: (pass: CheckpointPass) => void;
    /** The SQLite driver module the thread loads (tests break it on purpose). */
    readonly driver?: string;
    /** How long a writer that keeps up writes on after a pass before waiting again (see keepUp). */
    readonly keepUpMs?: number;
    /** The file the bot opened: the thread reads none other at the same path. */
    readonly file?: FileIdentity;
  },
): Checkpointer {
  const log = o.logger.child({ component: "checkpointer" });
  const driver = o.driver ?? createRequire(import.meta.url).resolve("better-sqlite3");
  const everyMs = o.everyMs ?? 500;
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: {
      path: db.name,
      everyMs,
      driver,
      file: o.file,
      restartFrames: RESTART_FRAMES,
      settledFrames: SETTLED_FRAMES,
    },
  });
  worker.unref();
  let stopping = false;
  let running = true;
  /** The pass asked for (see keepUp), when the last one ended, and when a writer last kept up. */
  let asked: { readonly done: Promise<void>; readonly end: () => void } | undefined;
  let keptUpAt = Number.NEGATIVE_INFINITY;
  let keepingUpAt = Number.NEGATIVE_INFINITY;
  const endAsked = () => {
    if (!asked) return;
    asked.end();
    asked = undefined;
    keptUpAt = performance.now();
  };
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const onConnection = () => db.open && emptyLog(db);
  const fallBack = (why: string) => {
    if (!running) return; // its error, then its exit
    running = false;
    markReady();
    endAsked();
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    if (!stopping)
      log.error(`the checkpoint thread stopped (${why}): the bot checkpoints on its own thread`);
  };
  let failing = false;
  worker.on(
    "message",
    (
      message: {
        kind: string;
        why?: string;
        settled?: boolean;
        asked?: boolean;
      } & CheckpointPass,
    ) => {
      if (message.asked) endAsked();
      if (message.kind === "ready") {
        if (!stopping) db.pragma("wal_autocheckpoint = 0");
        markReady();
      } else if (message.kind === "failed" && !failing) {
        failing = true;
        log.warn(
          `a checkpoint failed (${message.why}): tried again every ${everyMs / 1000} s; the write-ahead log grows until one succeeds`,
        );
      } else if (message.kind === "pass") {
        if (failing) log.info("checkpoints work again");
        failing = false;
        const pass = { log: message.log, checkpointed: message.checkpointed };
        // The log starts again from its beginning only at a write that finds all of it copied,
        // which passes made while the bot writes never leave for it to find under writes that
        // never pause: once the thread has all but caught up, the bot copies the few frames left
        // (a failure, a full disk, is the thread's to say at its next pass).
        // Not while a writer keeps up: its next wait copies them on the thread, and each copy
        // here syncs the log and the file on the bot's thread.
        const keepingUp = performance.now() - keepingUpAt < KEEPING_UP_MS;
        if (message.settled && !keepingUp && db.open && !stopping) {
          try {
            db.pragma("wal_checkpoint(PASSIVE)");
          } catch {}
        }
        if (pass.log > 0) log.debug(pass, "checkpoint");
        o.onPass?.(pass);
      }
    },
  );
  worker.on("error", (error) => fallBack(error.message));
  const exited = new Promise<void>((resolve) =>
    worker.once("exit", (code) => {
      fallBack(`exit code ${code}`);
      resolve();
    }),
  );
  /** A pass of the thread now (or the one already asked for), settled once it is done. */
  const askPass = (): Promise<void> => {
    if (asked) return asked.done;
    if (!running || stopping) return Promise.resolve();
    let end = () => {};
    const done = new Promise<void>((resolve) => {
      end = resolve;
    });
    asked = { done, end };
    worker.postMessage("pass");
    return done;
  };
  return {
    ready,
    emptyLog: async () => {
      await askPass();
      return onConnection();
    },
    keepUp: () => {
      keepingUpAt = performance.now();
      return asked || keepingUpAt - keptUpAt >= (o.keepUpMs ?? KEEP_UP_MS)
        ? askPass()
        : Promise.resolve();
    },
    stop: async () => {
      stopping = true;
      worker.ref(); // the last checkpoint keeps the process alive until it is done
      worker.postMessage("stop");
      await exited;
    },
  };
}
