import { expect, it } from "vitest";
import { BackfillProgress } from "../../src/ingest/backfill-progress.js";
import { capturedLogger } from "../helpers/logs.js";

it("says how many events a backfill stored, one as one", () => {
  const one = capturedLogger();
  new BackfillProgress(one.logger, () => 1).done(0);
  expect(one.text()).toContain("backfill done: 1 event stored");
  const many = capturedLogger();
  new BackfillProgress(many.logger, () => 600).done(0);
  expect(many.text()).toContain("backfill done: 600 events stored");
});
