-- The rules file the bot classifies new events with (RULES_FILE, recorded at each start; null for
-- none): `reclassify` run from a shell without it would give stored events other classes than new
-- ones, and refuses to unless told to.

CREATE TABLE classified_with (
  id                  INTEGER PRIMARY KEY CHECK (id = 1),
  rules_file          TEXT,                          -- its absolute path, null for none
  recorded_at         INTEGER NOT NULL
) STRICT;
