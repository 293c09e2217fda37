-- The organizations whose `reclassify` began and has not ended: set before its first event is
-- classified again, deleted once its personal baselines are recorded again. A row left (Ctrl-C, a
-- crash) means stored events are classified partly the old way: `tools` and `start` say so.

CREATE TABLE reclassify_unfinished (
  org_id              TEXT PRIMARY KEY,
  started_at          INTEGER NOT NULL
) STRICT;
