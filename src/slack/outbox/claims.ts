import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { OutboxItem } from "../../domain/outbox.js";

export const randomId = (): string => randomBytes(6).toString("hex");

/** A claim's owner: this host, this process, and a random part for this poster. */
export function newOwner(): string {
  return `${hostname()}:${process.pid}:${randomId()}`;
}

/** Whether the process that holds a claim still runs (known only for processes of this host). */
export function ownerAlive(owner: string): boolean {
  const [host, pid] = owner.split(":");
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
export function methodsOf(item: Pick<OutboxItem, "method" | "userId">): string[] {
  if (item.method === "files.upload")
    return ["files.getUploadURLExternal", "files.completeUploadExternal"];
  if (item.method === "views.publish") return ["views.publish"];
  return item.userId ? [item.method, "conversations.open"] : [item.method];
}
