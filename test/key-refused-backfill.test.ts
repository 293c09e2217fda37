/**
 * The API key refused (401) while the first poll still reads the history: nothing will read it
 * until ATLASSIAN_API_KEY is fixed. Reproduced with the simulator answering the first page, then
 * 401 to every page after (`injectFault({ kind: "delay", ms: 1 })`, then
 * `injectFault({ kind: "status", status: 401, … }, { times: 100 })`, BACKFILL_DAYS=1 over two days
 * of events): /healthz says `backfilling: true` beside `apiKeyRejected: true`; `status` says
 * "Reading the audit log's history (the first poll): 200 events stored so far" above the key's
 * refusal; the App Home's API key line says "no expiry date set …" (only its Health line says
 * the refusal). With nothing stored yet, `status` says "not read yet … the warning below says
 * why", which holds.
 */
import { describe, it } from "vitest";

describe("the key refused before the first backfill finishes", () => {
  it.todo(
    "/healthz does not say backfilling while the key is refused, and says the history is left unread",
  );
  it.todo("status says the history is not being read because the key is refused, not 'Reading'");
  it.todo("the App Home's API key line says the key is refused whatever its expiry date");
});
