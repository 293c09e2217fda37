-- Per organization, the time before which the last retention pass deleted events: an answer or a
-- digest reaching back past it says the events there are gone, rather than reading as "nothing
-- happened then".

CREATE TABLE pruned_before (
  org_id              TEXT    PRIMARY KEY,
  before              INTEGER NOT NULL,              -- events before it are deleted (ms)
  recorded_at         INTEGER NOT NULL
) STRICT;
