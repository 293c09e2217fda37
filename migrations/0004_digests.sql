-- Digests: one row per organization, kind and period, created when due and delivered by the
-- notifier like alerts (a row without ts is a post in flight, found again by its metadata).
CREATE TABLE digests (
  id                INTEGER PRIMARY KEY,
  org_id            TEXT    NOT NULL,
  kind              TEXT    NOT NULL,              -- daily | backfill
  period_start      INTEGER NOT NULL,
  period_end        INTEGER NOT NULL,
  late              INTEGER NOT NULL DEFAULT 0,
  message           TEXT    NOT NULL,              -- JSON: text, blocks, thread replies
  chart             BLOB,                          -- PNG, when it could be rendered
  channel           TEXT,
  ts                TEXT,
  attempted_at      INTEGER,
  posted_at         INTEGER,
  created_at        INTEGER NOT NULL,
  UNIQUE (org_id, kind, period_end)
);
