-- The rules file the bot classifies new events with (RULES_FILE, recorded at each start of `start`
-- or `poll --once`; null for none), and its text's digest: `reclassify` run from a shell without
-- it would give stored events other classes than new ones, and refuses to unless told to; run
-- after the file was edited, it says the bot needs a restart to read it.

CREATE TABLE classified_with (
  id                  INTEGER PRIMARY KEY CHECK (id = 1),
  rules_file          TEXT,                          -- its absolute path, null for none
  rules_digest        TEXT,                          -- SHA-256 of its text as the bot read it
  recorded_at         INTEGER NOT NULL
) STRICT;
