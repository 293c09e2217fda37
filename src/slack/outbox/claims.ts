import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { OutboxItem } from "../../domain/outbox.js";

export const randomId = (): string => randomBytes(6).toString("hex");

/** A claim's owner: this host, this process, a random part for this poster, and whether locked. */
export function newOwner(holdsLock = false): string {
  const owner = `${hostname()}:${process.pid}:${THIS_PROCESS}:${randomId()}`;
  return holdsLock ? `${owner}:${LOCKED}` : owner;
}

/** This process among those that had its pid (a container's PID 1 is 1 after every restart). */
const THIS_PROCESS = randomId();
/** Marks an owner that held the database's instance lock (a bot, `start`). */
const LOCKED = "lock";

/**
 * Whether the process that holds a claim still runs. A process that holds the instance lock
 * knows that every other owner that held it is gone: one process at a time can hold it. Otherwise
 * it is known only for processes of this host, by their pid; the same pid as this process's may
 * be another container's, so it counts as running until its lease ends.
 */
export function ownerAlive(owner: string, holdsLock = false): boolean {
  const [host, pid, process_, , locked] = owner.split(":");
  if (process_ === THIS_PROCESS) return true;
  if (holdsLock && locked === LOCKED) return false;
  if (host !== hostname() || !pid) return true;
  const id = Number(pid);
  if (id === process.pid) return true;
  try {
    process.kill(id, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** The Web API methods an item calls: it waits while any of them is paused. */
export function methodsOf(item: Pick<OutboxItem, "method" | "userId">): readonly string[] {
  if (item.method === "files.upload" || item.method === "views.publish") return postMethods(item);
  return item.userId ? [item.method, "conversations.open"] : [item.method];
}

/** The Web API methods that post or publish an item, a direct message's channel once open. */
export function postMethods(item: Pick<OutboxItem, "method">): readonly string[] {
  if (item.method === "files.upload")
    return ["files.getUploadURLExternal", "files.completeUploadExternal"];
  return [item.method];
}
