-- Interned text no row refers to any more (the names, e-mails and account ids of people whose
-- events the retention pruned) is deleted by the retention pass. Every connection caches the
-- strings table; this counter, moved by each delete, tells a cache to drop what it holds.

CREATE TABLE strings_generation (
  n                   INTEGER NOT NULL
) STRICT;
INSERT INTO strings_generation (n) VALUES (0);

CREATE TRIGGER strings_deleted AFTER DELETE ON strings BEGIN
  UPDATE strings_generation SET n = n + 1;
END;
